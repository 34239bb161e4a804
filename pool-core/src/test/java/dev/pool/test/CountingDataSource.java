package dev.pool.test;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Wraps the unpooled {@link DataSource} a pool takes its physical connections from, and counts them
 * where they are opened and closed: how many are open at this moment (a connect has returned, its
 * {@code close()} has not), and the most there ever were. That is the client's side of
 * {@code pg_stat_activity}, without the server's lag in removing a backend that was closed, so a
 * test can tell a pool that keeps too many connections open from a server slow to see them go.
 * {@link #setCloseDelay} makes every physical {@code close()} slow (a close over a slow network),
 * which widens any window in which a pool counts a connection as gone before it is.
 */
public final class CountingDataSource {

    private final DataSource target;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final AtomicInteger opened = new AtomicInteger();
    private volatile Duration closeDelay = Duration.ZERO;

    public CountingDataSource(DataSource target) {
        this.target = target;
    }

    /** The data source to give the pool ({@code PoolConfig.setDataSource}). */
    public DataSource dataSource() {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(target, method, args);
                    if (method.getName().equals("getConnection")) {
                        opened.incrementAndGet();
                        maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                        return counted((Connection) result);
                    }
                    return result;
                });
    }

    private Connection counted(Connection physical) {
        AtomicBoolean closed = new AtomicBoolean();
        InvocationHandler handler = (proxy, method, args) -> {
            boolean closing = method.getName().equals("close") || method.getName().equals("abort");
            try {
                if (closing && !closeDelay.isZero()) {
                    Thread.sleep(closeDelay.toMillis()); // the simulated slow close
                }
                return invoke(physical, method, args);
            } finally {
                if (closing && closed.compareAndSet(false, true)) {
                    open.decrementAndGet();
                }
            }
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Every physical {@code close()} from now on takes this long before it closes. */
    public void setCloseDelay(Duration delay) {
        this.closeDelay = delay;
    }

    /** Physical connections open now. */
    public int open() {
        return open.get();
    }

    /** The most physical connections that were open at once. */
    public int maxOpen() {
        return maxOpen.get();
    }

    /** Physical connections opened in all. */
    public int opened() {
        return opened.get();
    }
}
