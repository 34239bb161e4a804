package dev.pool.test;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * An in-memory JDBC driver for unit tests of pool logic: it opens {@link StubConnection}s that
 * execute nothing, and lets a test slow down or fail connects, fail validation and statements, and
 * count what the pool did.
 *
 * <p>Each instance has its own state, so tests running in parallel do not interfere: hand the pool
 * {@link #dataSource()}. A pool that must go through {@link DriverManager} gets {@link #url()} after
 * {@link #register()}; registered drivers are told apart by the name in their URL.
 *
 * <p>Every control and counter is thread-safe. Execution failures are set on the driver (all
 * connections) or on one {@link StubConnection}.
 */
public final class StubDriver implements Driver {

    /** Every URL this driver accepts starts with this. */
    public static final String URL_PREFIX = "jdbc:stub:";

    /** Answers {@link DriverManager} for every registered instance, by the name in the URL. */
    private static final Map<String, StubDriver> REGISTERED = new ConcurrentHashMap<>();
    private static final AtomicReference<Driver> ROUTER = new AtomicReference<>();
    private static final AtomicInteger NAMES = new AtomicInteger();

    private final String name;

    private final AtomicInteger connectAttempts = new AtomicInteger();
    private final AtomicInteger successfulConnects = new AtomicInteger();
    private final AtomicInteger waitingConnects = new AtomicInteger();
    private final AtomicInteger connectionIds = new AtomicInteger();
    private final List<StubConnection> connections = new CopyOnWriteArrayList<>();
    private final List<ConnectAttempt> attempts = new CopyOnWriteArrayList<>();

    private volatile CountDownLatch connectGate;
    private volatile Duration connectDelay = Duration.ZERO;
    private volatile ConnectHook connectHook = attempt -> { };
    /** Null while connects succeed; one reference, so a connect never sees half of a change. */
    private final AtomicReference<ConnectFailure> connectFailure = new AtomicReference<>();

    private volatile boolean valid = true;
    private final ExecuteFailures executeFailures = new ExecuteFailures();

    /** A driver with a name of its own, {@code stub1}, {@code stub2}, ... */
    public StubDriver() {
        this("stub" + NAMES.incrementAndGet());
    }

    public StubDriver(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    public String name() {
        return name;
    }

    /** {@code jdbc:stub:<name>}: the URL that reaches this instance through {@link DriverManager}. */
    public String url() {
        return URL_PREFIX + name;
    }

    /** A data source that connects through this driver with {@link #url()}. */
    public StubDataSource dataSource() {
        return new StubDataSource(this, url());
    }

    // ---- DriverManager registration

    /**
     * Makes {@link #url()} reach this instance through {@link DriverManager}. One router driver is
     * registered globally on first use; it finds the instance by the name in the URL.
     */
    public StubDriver register() throws SQLException {
        StubDriver previous = REGISTERED.putIfAbsent(name, this);
        if (previous != null && previous != this) {
            throw new IllegalStateException("Another StubDriver is registered as '" + name + "'");
        }
        if (ROUTER.get() == null) {
            Driver router = new Router();
            if (ROUTER.compareAndSet(null, router)) {
                DriverManager.registerDriver(router);
            }
        }
        return this;
    }

    /** Undoes {@link #register()}; the global router stays, harmless. */
    public void deregister() {
        REGISTERED.remove(name, this);
    }

    // ---- controls: connect

    /** From now on connects wait until {@link #releaseConnects()}; {@link #waitingConnects()} counts them. */
    public void holdConnects() {
        synchronized (this) {
            if (connectGate == null) {
                connectGate = new CountDownLatch(1);
            }
        }
    }

    /** Lets waiting and future connects through. */
    public void releaseConnects() {
        CountDownLatch gate;
        synchronized (this) {
            gate = connectGate;
            connectGate = null;
        }
        if (gate != null) {
            gate.countDown();
        }
    }

    /** Every connect takes at least this long (after any gate). */
    public void setConnectDelay(Duration delay) {
        this.connectDelay = Objects.requireNonNull(delay, "delay");
    }

    /**
     * Called on every connect attempt, before the gate, the delay and any injected failure. It may
     * block, or throw to fail the attempt.
     */
    public void onConnect(ConnectHook hook) {
        this.connectHook = Objects.requireNonNull(hook, "hook");
    }

    /** Every connect fails with this SQLState (e.g. {@code 08001}) until {@link #clearConnectFailure()}. */
    public void failConnects(String sqlState) {
        connectFailure.set(new ConnectFailure(Objects.requireNonNull(sqlState, "sqlState"), -1));
    }

    /** The next {@code count} connects fail with this SQLState; later ones succeed. */
    public void failNextConnects(int count, String sqlState) {
        Objects.requireNonNull(sqlState, "sqlState");
        connectFailure.set(count > 0 ? new ConnectFailure(sqlState, count) : null);
    }

    public void clearConnectFailure() {
        connectFailure.set(null);
    }

    // ---- controls: connections

    /**
     * {@code false}: {@link StubConnection#isValid} returns false on every connection, old and new,
     * until set back. Statements still execute; see {@link #failExecutes} for that.
     */
    public void setValid(boolean valid) {
        this.valid = valid;
    }

    /** The next statement execution on any connection of this driver throws with this SQLState. */
    public void failNextExecute(String sqlState) {
        executeFailures.failNext(sqlState);
    }

    /** Every statement execution on every connection throws with this SQLState until cleared. */
    public void failExecutes(String sqlState) {
        executeFailures.failAll(sqlState);
    }

    public void clearExecuteFailures() {
        executeFailures.clear();
    }

    /** Breaks every open connection as a database shutdown would: see {@link StubConnection#kill}. */
    public void killAll(String sqlState) {
        for (StubConnection connection : connections) {
            if (!connection.isClosed()) {
                connection.kill(sqlState);
            }
        }
    }

    // ---- observations

    /** Connect calls made, including failed and still waiting ones. */
    public int connectAttempts() {
        return connectAttempts.get();
    }

    /** Every connect attempt in order, with when it started. */
    public List<ConnectAttempt> attempts() {
        return List.copyOf(attempts);
    }

    public int successfulConnects() {
        return successfulConnects.get();
    }

    /** Connects blocked at the gate of {@link #holdConnects()} right now. */
    public int waitingConnects() {
        return waitingConnects.get();
    }

    /** Physical connections opened and not yet closed or aborted. */
    public int openConnections() {
        int open = 0;
        for (StubConnection connection : connections) {
            if (!connection.isClosed()) {
                open++;
            }
        }
        return open;
    }

    /** Every connection opened, in order, closed ones included. */
    public List<StubConnection> connections() {
        return List.copyOf(connections);
    }

    /** The {@code index}-th connection opened, from 0. */
    public StubConnection connection(int index) {
        return connections.get(index);
    }

    /** Throws for the connection's next execution if a failure is set on the driver. */
    void checkExecute() throws SQLException {
        executeFailures.check();
    }

    boolean valid() {
        return valid;
    }

    // ---- Driver

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        return open(url, info == null ? new Properties() : info);
    }

    StubConnection open(String url, Properties info) throws SQLException {
        ConnectAttempt attempt = new ConnectAttempt(connectAttempts.incrementAndGet(), System.nanoTime(),
                url, info.getProperty("user"));
        attempts.add(attempt);
        connectHook.onConnect(attempt);
        awaitGate();
        sleep(connectDelay);
        String failure = nextConnectFailure();
        if (failure != null) {
            throw new SQLException("Stub connect failure injected for " + url + " (attempt "
                    + attempt.number() + ")", failure);
        }
        StubConnection connection = new StubConnection(this, connectionIds.incrementAndGet(), url, attempt.user());
        connections.add(connection);
        successfulConnects.incrementAndGet();
        return connection;
    }

    private void awaitGate() throws SQLException {
        CountDownLatch gate = connectGate;
        if (gate == null) {
            return;
        }
        waitingConnects.incrementAndGet();
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while the stub connect was held", "08001", e);
        } finally {
            waitingConnects.decrementAndGet();
        }
    }

    private static void sleep(Duration delay) throws SQLException {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted during the stub connect delay", "08001", e);
        }
    }

    /** The SQLState this connect fails with, or null; counts down a limited failure. */
    private String nextConnectFailure() {
        ConnectFailure failure = connectFailure.getAndUpdate(f -> f == null || f.remaining() < 0 ? f
                : f.remaining() == 1 ? null : new ConnectFailure(f.sqlState(), f.remaining() - 1));
        return failure == null ? null : failure.sqlState();
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(URL_PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("StubDriver does not log");
    }

    @Override
    public String toString() {
        return "StubDriver[" + name + "]";
    }

    /** One call of {@link #connect}: its number from 1, {@link System#nanoTime()} at its start, URL and user. */
    public record ConnectAttempt(int number, long nanoTime, String url, String user) {
    }

    /** Connects fail with {@code sqlState}: the next {@code remaining} ones, or all if negative. */
    private record ConnectFailure(String sqlState, int remaining) {
    }

    /** Sees every connect attempt first; may block, or throw to fail it. */
    @FunctionalInterface
    public interface ConnectHook {
        void onConnect(ConnectAttempt attempt) throws SQLException;
    }

    /** One-shot and standing execution failures, shared by the driver and each connection. */
    static final class ExecuteFailures {

        private final AtomicReference<String> next = new AtomicReference<>();
        private volatile String all;

        void failNext(String sqlState) {
            next.set(Objects.requireNonNull(sqlState, "sqlState"));
        }

        void failAll(String sqlState) {
            all = Objects.requireNonNull(sqlState, "sqlState");
        }

        void clear() {
            next.set(null);
            all = null;
        }

        void check() throws SQLException {
            String state = next.getAndSet(null);
            if (state == null) {
                state = all;
            }
            if (state != null) {
                throw new SQLException("Stub execution failure injected (SQLState " + state + ")", state);
            }
        }
    }

    /** The one driver {@link DriverManager} knows: passes each URL to the instance it names. */
    private static final class Router implements Driver {

        @Override
        public Connection connect(String url, Properties info) throws SQLException {
            StubDriver driver = find(url);
            return driver == null ? null : driver.connect(url, info);
        }

        @Override
        public boolean acceptsURL(String url) {
            return find(url) != null;
        }

        private static StubDriver find(String url) {
            if (url == null || !url.startsWith(URL_PREFIX)) {
                return null;
            }
            String rest = url.substring(URL_PREFIX.length());
            int end = 0;
            while (end < rest.length() && rest.charAt(end) != '?' && rest.charAt(end) != ';'
                    && rest.charAt(end) != '/') {
                end++;
            }
            return REGISTERED.get(rest.substring(0, end));
        }

        @Override
        public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
            return new DriverPropertyInfo[0];
        }

        @Override
        public int getMajorVersion() {
            return 1;
        }

        @Override
        public int getMinorVersion() {
            return 0;
        }

        @Override
        public boolean jdbcCompliant() {
            return false;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException("StubDriver does not log");
        }
    }
}
