package dev.pool;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registers a pool's {@link PoolMXBean} with the platform MBean server, and removes it on close. */
final class PoolMBeanRegistration implements PoolMXBean {

    private static final Logger log = LoggerFactory.getLogger(PoolMBeanRegistration.class);

    private final PoolDataSource pool;
    private final ObjectName name;

    private PoolMBeanRegistration(PoolDataSource pool, ObjectName name) {
        this.pool = pool;
        this.name = name;
    }

    static PoolMBeanRegistration register(PoolDataSource pool) {
        try {
            ObjectName name = new ObjectName("dev.pool:type=Pool,name=" + nameValue(pool.getName()));
            PoolMBeanRegistration bean = new PoolMBeanRegistration(pool, name);
            ManagementFactory.getPlatformMBeanServer().registerMBean(bean, name);
            return bean;
        } catch (JMException e) {
            log.warn("Pool '{}' could not register its MXBean: {}", pool.getName(), e.toString());
            return null;
        }
    }

    /**
     * The pool's name as an ObjectName value: as it is, so {@code dev.pool:type=Pool,name=orders}
     * finds it, and quoted only when it holds a character an unquoted value may not.
     */
    static String nameValue(String poolName) {
        for (int i = 0; i < poolName.length(); i++) {
            if (",=:\"*?\n".indexOf(poolName.charAt(i)) >= 0) {
                return ObjectName.quote(poolName);
            }
        }
        return poolName;
    }

    void unregister() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (JMException e) {
            log.debug("Pool '{}' could not unregister its MXBean", pool.getName(), e);
        }
    }

    @Override
    public String getName() {
        return pool.getName();
    }

    @Override
    public String getState() {
        return pool.state().name();
    }

    @Override
    public int getActive() {
        return pool.stats().active();
    }

    @Override
    public int getIdle() {
        return pool.stats().idle();
    }

    @Override
    public int getTotal() {
        return pool.stats().total();
    }

    @Override
    public int getPending() {
        return pool.stats().pending();
    }

    @Override
    public int getMaxSize() {
        return pool.stats().maxSize();
    }

    @Override
    public int getMinSize() {
        return pool.stats().minSize();
    }

    @Override
    public int getMinIdle() {
        return pool.getMinIdle();
    }

    @Override
    public long getBorrowed() {
        return pool.stats().borrowed();
    }

    @Override
    public long getCreated() {
        return pool.stats().created();
    }

    @Override
    public long getWaits() {
        return pool.stats().waits();
    }

    @Override
    public long getTimeouts() {
        return pool.stats().timeouts();
    }

    @Override
    public long getEvictions() {
        return pool.stats().evictionsTotal();
    }

    @Override
    public void evictIdle() {
        pool.evictIdle();
    }

    @Override
    public void evictAll() {
        pool.evictAll();
    }

    @Override
    public void suspend() {
        pool.suspend();
    }

    @Override
    public void resume() {
        pool.resume();
    }

    @Override
    public void resize(int minIdle, int maxSize) {
        pool.resize(minIdle, maxSize);
    }
}
