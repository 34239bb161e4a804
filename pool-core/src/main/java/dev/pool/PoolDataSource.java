package dev.pool;

import dev.pool.engine.Clock;
import dev.pool.engine.ConnectionPool;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A pooled {@link DataSource}. {@link #getConnection()} lends a connection; its {@code close()}
 * gives it back. Thread-safe; {@link #close()} is idempotent.
 *
 * <pre>{@code
 * PoolConfig config = new PoolConfig();
 * config.setUrl("jdbc:postgresql://localhost:5432/app");
 * try (PoolDataSource pool = new PoolDataSource(config)) {
 *     try (Connection c = pool.getConnection()) { ... }
 * }
 * }</pre>
 */
public class PoolDataSource implements DataSource, AutoCloseable {

    private final PoolConfig config;
    private final ConnectionPool pool;
    private volatile PrintWriter logWriter;
    private volatile int loginTimeout;
    private final PoolMBeanRegistration mbean;

    /**
     * Validates the config, starts the pool and opens {@code initial-size} connections.
     *
     * @throws PoolConfigException         if a property is invalid (the message names it)
     * @throws PoolInitializationException if the initial connections cannot be opened and
     *                                     {@code initialization-fail-fast} is on
     */
    public PoolDataSource(PoolConfig config) {
        this(config, Clock.SYSTEM);
    }

    PoolDataSource(PoolConfig config, Clock clock) {
        this.config = config;
        try {
            this.pool = new ConnectionPool(config, clock);
        } catch (SQLException e) {
            throw new PoolInitializationException(e.getMessage(), e.getCause() != null ? e.getCause() : e);
        }
        this.mbean = config.isRegisterMbeans() ? PoolMBeanRegistration.register(this) : null;
    }

    /**
     * Lends a connection: idle, newly opened, or handed over when one is returned, in the order
     * callers arrived; never longer than {@code connection-wait-timeout}.
     *
     * @throws java.sql.SQLTransientConnectionException when none is free in time; its message names
     *         the pool, the timeout and the counts, its cause is the last connect failure if any
     * @throws java.sql.SQLNonTransientConnectionException at once, when the connect this caller waited
     *         for failed in a way no retry fixes (SQLState class 28, a wrong password; 3D000, no such
     *         database) and the pool has no connection that could be returned instead; it carries the
     *         driver's SQLState, and the driver's error is its cause. The next call tries again.
     */
    @Override
    public Connection getConnection() throws SQLException {
        return pool.borrow();
    }

    /** Not supported: a pool lends connections of one user. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("Pool '" + getName() + "' lends connections of its configured user only");
    }

    /** An immutable snapshot of counts and counters. */
    public PoolStats stats() {
        return pool.stats();
    }

    public PoolState state() {
        return pool.state();
    }

    public String getName() {
        return pool.name();
    }

    /** The config the pool was built from. Changing it does not change the running pool. */
    public PoolConfig getConfig() {
        return config;
    }

    /** The current {@code min-idle}, which {@link #resize} may have changed. */
    public int getMinIdle() {
        return pool.minIdle();
    }

    /** The last connect failure while the pool cannot connect; null once a connect succeeds. */
    public SQLException getLastConnectError() {
        return pool.lastConnectError();
    }

    /** Every open connection as the pool sees it now: state, age, borrows, and for lent ones who holds it. */
    public List<ConnectionInfo> connections() {
        return pool.connections();
    }

    /** Closes every idle connection now. */
    public void evictIdle() {
        pool.evictIdle();
    }

    /** Closes every idle connection now, and every borrowed one when it is returned. */
    public void evictAll() {
        pool.evictAll();
    }

    /** New borrowers wait (within their timeout) until {@link #resume()}; nothing is lost. */
    public void suspend() {
        pool.suspend();
    }

    public void resume() {
        pool.resume();
    }

    /**
     * Changes {@code min-idle} and {@code max-size} at run time. Connections above a smaller
     * {@code max-size} are closed when idle or returned.
     *
     * @throws PoolConfigException if the sizes are invalid
     */
    public void resize(int minIdle, int maxSize) {
        pool.resize(minIdle, maxSize);
    }

    public void addListener(PoolListener listener) {
        pool.addListener(listener);
    }

    public void removeListener(PoolListener listener) {
        pool.removeListener(listener);
    }

    /** Whether returned connections now go to waiters in arrival order (for tests). */
    boolean servesInOrder() {
        return pool.servesInOrder();
    }

    /** Runs the housekeeper's timed work now (for tests that move a test clock). */
    void runHousekeeping() {
        pool.runHousekeeping();
    }

    /**
     * Stops lending, fails waiting borrowers, waits up to {@code shutdown-timeout} for borrowed
     * connections, then closes every connection and stops the pool's threads. Idempotent.
     */
    @Override
    public void close() {
        pool.close(config.getShutdownTimeout());
        if (mbean != null) {
            mbean.unregister();
        }
    }

    public boolean isClosed() {
        return pool.isClosed();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("Pool '" + getName() + "' is not a wrapper for " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    /** Kept for the DataSource contract; the pool's own limits are {@code connect-timeout} and {@code connection-wait-timeout}. */
    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getLogger("dev.pool");
    }

    @Override
    public String toString() {
        return "PoolDataSource[" + getName() + ", " + state() + "]";
    }
}
