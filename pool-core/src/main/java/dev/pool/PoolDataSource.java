package dev.pool;

import dev.pool.engine.Clock;
import dev.pool.engine.ConnectionPool;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
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
 *
 * <p>It is also a JavaBean, for tools that build data sources by reflection (Spring Boot's
 * {@code DataSourceBuilder}, {@code @ConfigurationProperties}, containers): the no-arg constructor
 * and one getter and setter per {@link PoolConfig} property. A pool built that way starts on its
 * first {@link #getConnection()} (once, however many threads call it), or on the first
 * {@link #suspend()}, {@link #resume()} or {@link #resize}. Its settings are read once, at start:
 * a setter called after that throws {@link IllegalStateException}, and sizes change at run time
 * through {@link #resize}. Until then the pool reports {@link PoolState#RUNNING} with no
 * connections, since the next borrower will start it.
 */
public class PoolDataSource implements DataSource, AutoCloseable {

    private final PoolConfig config;
    private final Clock clock;
    /**
     * Held while starting, and by every setter, so that no setting changes while the pool reads
     * them and none after. A lock, not {@code synchronized}: starting opens connections, which
     * must not pin a virtual thread's carrier.
     */
    private final ReentrantLock startLock = new ReentrantLock();
    /** The engine; null until the pool has started. Written once, under {@link #startLock}. */
    private volatile ConnectionPool pool;
    /** Closed before it ever started; guarded by {@link #startLock}. */
    private boolean closedBeforeStart;
    /** Listeners added before the start, handed to the engine when it starts; guarded by {@link #startLock}. */
    private final List<PoolListener> listenersBeforeStart = new ArrayList<>();
    private volatile PoolMBeanRegistration mbean;
    private volatile PrintWriter logWriter;
    private volatile int loginTimeout;

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
        this(config, clock, true);
    }

    /**
     * A pool with the default settings, to be set through the setters below; it starts on its
     * first {@link #getConnection()}.
     */
    public PoolDataSource() {
        this(new PoolConfig(), Clock.SYSTEM, false);
    }

    private PoolDataSource(PoolConfig config, Clock clock, boolean startNow) {
        this.config = config;
        this.clock = clock;
        if (startNow) {
            startOrThrow();
        }
    }

    /**
     * Lends a connection: idle, newly opened, or handed over when one is returned, in the order
     * callers arrived; never longer than {@code connection-wait-timeout}. The first call on a pool
     * built with the no-arg constructor starts it.
     *
     * @throws java.sql.SQLTransientConnectionException when none is free in time; its message names
     *         the pool, the timeout and the counts, its cause is the last connect failure if any
     * @throws SQLException if the pool is closed, or could not start (its initial connections
     *         failed with {@code initialization-fail-fast} on; a later call tries again)
     * @throws PoolConfigException if the pool could not start because a setting is invalid
     * @throws java.sql.SQLNonTransientConnectionException at once, when the connect this caller waited
     *         for failed in a way no retry fixes (SQLState class 28, a wrong password; 3D000, no such
     *         database) and the pool has no connection that could be returned instead; it carries the
     *         driver's SQLState, and the driver's error is its cause. The next call tries again.
     */
    @Override
    public Connection getConnection() throws SQLException {
        ConnectionPool running = pool;
        if (running == null) {
            running = start();
        }
        return running.borrow();
    }

    /**
     * {@link #getConnection()} waiting at most {@code maxWait} (and never beyond
     * {@code connection-wait-timeout} or an open {@link WaitBudget}): a per-call budget, for a caller
     * that knows how long it has left. {@code 0} takes a free connection or fails at once.
     *
     * @throws IllegalArgumentException if {@code maxWait} is null or negative
     */
    public Connection getConnection(Duration maxWait) throws SQLException {
        if (maxWait == null || maxWait.isNegative()) {
            throw new IllegalArgumentException("Pool '" + getName() + "': getConnection(maxWait): maxWait must be 0 or more, was " + maxWait);
        }
        ConnectionPool running = pool;
        if (running == null) {
            running = start();
        }
        return running.borrow(maxWait.toNanos());
    }

    /** Not supported: a pool lends connections of one user. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("Pool '" + getName() + "' lends connections of its configured user only");
    }

    /** Starts the engine unless another thread did; the pool's settings are read here, once. */
    private ConnectionPool start() throws SQLException {
        startLock.lock();
        try {
            ConnectionPool running = pool;
            if (running != null) {
                return running;
            }
            if (closedBeforeStart) {
                throw new SQLException("Pool '" + config.getName() + "' is closed", "08003");
            }
            running = new ConnectionPool(config, clock);
            listenersBeforeStart.forEach(running::addListener);
            listenersBeforeStart.clear();
            pool = running;
            mbean = config.isRegisterMbeans() ? PoolMBeanRegistration.register(this) : null;
            return running;
        } finally {
            startLock.unlock();
        }
    }

    /** The engine, started if need be, for operations that declare no {@link SQLException}. */
    private ConnectionPool startOrThrow() {
        ConnectionPool running = pool;
        if (running != null) {
            return running;
        }
        try {
            return start();
        } catch (SQLException e) {
            throw new PoolInitializationException(e.getMessage(), e.getCause() != null ? e.getCause() : e);
        }
    }

    /** An immutable snapshot of counts and counters; all zero before the pool has started. */
    public PoolStats stats() {
        ConnectionPool running = pool;
        if (running != null) {
            return running.stats();
        }
        Map<EvictionReason, Long> evictions = new EnumMap<>(EvictionReason.class);
        for (EvictionReason reason : EvictionReason.values()) {
            evictions.put(reason, 0L);
        }
        Map<RejectionReason, Long> rejections = new EnumMap<>(RejectionReason.class);
        for (RejectionReason reason : RejectionReason.values()) {
            rejections.put(reason, 0L);
        }
        return new PoolStats(0, 0, 0, 0, config.getMaxSize(), config.getMinSize(), 0, 0, 0, 0, evictions, rejections);
    }

    /** {@link PoolState#RUNNING} also before the start, as the next borrower starts the pool. */
    public PoolState state() {
        ConnectionPool running = pool;
        if (running != null) {
            return running.state();
        }
        return isClosed() ? PoolState.CLOSED : PoolState.RUNNING;
    }

    public String getName() {
        ConnectionPool running = pool;
        return running != null ? running.name() : config.getName();
    }

    /** The config the pool was built from. Changing it does not change the running pool. */
    public PoolConfig getConfig() {
        return config;
    }

    /** The current {@code min-idle}, which {@link #resize} may have changed. */
    public int getMinIdle() {
        ConnectionPool running = pool;
        return running != null ? running.minIdle() : config.getMinIdle();
    }

    /** The current {@code max-size}, which {@link #resize} may have changed. */
    public int getMaxSize() {
        ConnectionPool running = pool;
        return running != null ? running.stats().maxSize() : config.getMaxSize();
    }

    /** The last connect failure while the pool cannot connect; null once a connect succeeds, and before the start. */
    public SQLException getLastConnectError() {
        ConnectionPool running = pool;
        return running != null ? running.lastConnectError() : null;
    }

    /** Every open connection as the pool sees it now: state, age, borrows, and for lent ones who holds it. */
    public List<ConnectionInfo> connections() {
        ConnectionPool running = pool;
        return running != null ? running.connections() : List.of();
    }

    /** Closes every idle connection now; before the start there are none. */
    public void evictIdle() {
        ConnectionPool running = pool;
        if (running != null) {
            running.evictIdle();
        }
    }

    /** Closes every idle connection now, and every borrowed one when it is returned; before the start there are none. */
    public void evictAll() {
        ConnectionPool running = pool;
        if (running != null) {
            running.evictAll();
        }
    }

    /**
     * New borrowers wait (within their timeout) until {@link #resume()}; nothing is lost. A
     * suspended pool opens no connection, not even for {@code min-idle}.
     */
    public void suspend() {
        startOrThrow().suspend();
    }

    /**
     * Empties the pool and keeps it empty until {@link #resume()}, so the database sees no
     * connection from this process: for a JVM checkpoint (CRaC) or a database maintenance window.
     * Suspends the pool (borrowers wait within their timeout, nothing is opened), closes every idle
     * connection before it returns, and waits up to {@code timeout} for borrowed connections, each
     * closed as it is returned. A connection still borrowed at the timeout stays with its borrower
     * and is closed when returned.
     *
     * A pool that has not started has no connection: it returns true at once and stays unstarted
     * (its next borrower starts it as usual).
     *
     * @return true if no connection was open when it returned; false if some were still borrowed
     */
    public boolean quiesce(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("Pool '" + getName() + "': quiesce needs a timeout, 0 or more; got " + timeout);
        }
        ConnectionPool running = pool;
        return running == null || running.quiesce(timeout);
    }

    /** Ends {@link #suspend()} or {@link #quiesce}: lending resumes and {@code min-idle} is refilled. */
    public void resume() {
        startOrThrow().resume();
    }

    /**
     * Changes {@code min-idle} and {@code max-size} at run time. Connections above a smaller
     * {@code max-size} are closed when idle or returned.
     *
     * @throws PoolConfigException if the sizes are invalid
     */
    public void resize(int minIdle, int maxSize) {
        startOrThrow().resize(minIdle, maxSize);
    }

    public void addListener(PoolListener listener) {
        startLock.lock();
        try {
            ConnectionPool running = pool;
            if (running != null) {
                running.addListener(listener);
            } else {
                listenersBeforeStart.add(listener);
            }
        } finally {
            startLock.unlock();
        }
    }

    public void removeListener(PoolListener listener) {
        startLock.lock();
        try {
            ConnectionPool running = pool;
            if (running != null) {
                running.removeListener(listener);
            } else {
                listenersBeforeStart.remove(listener);
            }
        } finally {
            startLock.unlock();
        }
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
     * connections, then closes every connection and stops the pool's threads. Idempotent. A pool
     * closed before it started never starts.
     */
    @Override
    public void close() {
        ConnectionPool running;
        startLock.lock();
        try {
            running = pool;
            if (running == null) {
                closedBeforeStart = true;
                return;
            }
        } finally {
            startLock.unlock();
        }
        running.close(config.getShutdownTimeout());
        PoolMBeanRegistration registration = mbean;
        if (registration != null) {
            registration.unregister();
        }
    }

    /**
     * Whether the pool has started, so its settings are fixed: at once for a pool built from a
     * {@link PoolConfig}, on the first borrow for one built with the no-arg constructor.
     */
    public boolean isStarted() {
        return pool != null;
    }

    public boolean isClosed() {
        ConnectionPool running = pool;
        if (running != null) {
            return running.isClosed();
        }
        startLock.lock();
        try {
            return closedBeforeStart;
        } finally {
            startLock.unlock();
        }
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

    // ---- JavaBean properties: the settings of PoolConfig, each one changeable until the start ----

    /**
     * Applies a setting while the pool has not started.
     *
     * @param property the setting's JavaBean name, to name it in the error
     * @throws IllegalStateException once the pool has started or was closed
     */
    private void set(String property, Consumer<PoolConfig> change) {
        startLock.lock();
        try {
            if (pool != null || closedBeforeStart) {
                throw new IllegalStateException("Pool '" + getName() + "' has " + (pool != null ? "started" : "been closed")
                        + ": its setting " + property + " can no longer change (a pool reads its settings once, when it "
                        + "starts); change min-idle and max-size at run time with resize(minIdle, maxSize)");
            }
            change.accept(config);
        } finally {
            startLock.unlock();
        }
    }

    /** @see PoolConfig#setName */
    public void setName(String name) {
        set("name", (c) -> c.setName(name));
    }

    public String getUrl() {
        return config.getUrl();
    }

    /** @see PoolConfig#setUrl */
    public void setUrl(String url) {
        set("url", (c) -> c.setUrl(url));
    }

    public String getUsername() {
        return config.getUsername();
    }

    public void setUsername(String username) {
        set("username", (c) -> c.setUsername(username));
    }

    public String getPassword() {
        return config.getPassword();
    }

    public void setPassword(String password) {
        set("password", (c) -> c.setPassword(password));
    }

    public String getDriverClassName() {
        return config.getDriverClassName();
    }

    /** @see PoolConfig#setDriverClassName */
    public void setDriverClassName(String driverClassName) {
        set("driverClassName", (c) -> c.setDriverClassName(driverClassName));
    }

    /** The driver's connection properties; a live map until the start, read-only after. */
    public Map<String, String> getDataSourceProperties() {
        Map<String, String> properties = config.getDataSourceProperties();
        return pool != null ? Collections.unmodifiableMap(properties) : properties;
    }

    /** @see PoolConfig#setDataSourceProperties */
    public void setDataSourceProperties(Map<String, String> dataSourceProperties) {
        set("dataSourceProperties", (c) -> c.setDataSourceProperties(dataSourceProperties));
    }

    public DataSource getDataSource() {
        return config.getDataSource();
    }

    /** @see PoolConfig#setDataSource */
    public void setDataSource(DataSource dataSource) {
        set("dataSource", (c) -> c.setDataSource(dataSource));
    }

    public CredentialsProvider getCredentialsProvider() {
        return config.getCredentialsProvider();
    }

    /** @see PoolConfig#setCredentialsProvider */
    public void setCredentialsProvider(CredentialsProvider credentialsProvider) {
        set("credentialsProvider", (c) -> c.setCredentialsProvider(credentialsProvider));
    }

    public int getInitialSize() {
        return config.getInitialSize();
    }

    /** @see PoolConfig#setInitialSize */
    public void setInitialSize(int initialSize) {
        set("initialSize", (c) -> c.setInitialSize(initialSize));
    }

    public int getMinSize() {
        return config.getMinSize();
    }

    /** @see PoolConfig#setMinSize */
    public void setMinSize(int minSize) {
        set("minSize", (c) -> c.setMinSize(minSize));
    }

    /** @see PoolConfig#setMinIdle */
    public void setMinIdle(int minIdle) {
        set("minIdle", (c) -> c.setMinIdle(minIdle));
    }

    public Integer getMaxIdle() {
        return config.getMaxIdle();
    }

    /** @see PoolConfig#setMaxIdle */
    public void setMaxIdle(Integer maxIdle) {
        set("maxIdle", (c) -> c.setMaxIdle(maxIdle));
    }

    /** @see PoolConfig#setMaxSize */
    public void setMaxSize(int maxSize) {
        set("maxSize", (c) -> c.setMaxSize(maxSize));
    }

    public Duration getConnectionWaitTimeout() {
        return config.getConnectionWaitTimeout();
    }

    /** @see PoolConfig#setConnectionWaitTimeout */
    public void setConnectionWaitTimeout(Duration connectionWaitTimeout) {
        set("connectionWaitTimeout", (c) -> c.setConnectionWaitTimeout(connectionWaitTimeout));
    }

    public Duration getConnectTimeout() {
        return config.getConnectTimeout();
    }

    /** @see PoolConfig#setConnectTimeout */
    public void setConnectTimeout(Duration connectTimeout) {
        set("connectTimeout", (c) -> c.setConnectTimeout(connectTimeout));
    }

    public Duration getMaxIdleTime() {
        return config.getMaxIdleTime();
    }

    /** @see PoolConfig#setMaxIdleTime */
    public void setMaxIdleTime(Duration maxIdleTime) {
        set("maxIdleTime", (c) -> c.setMaxIdleTime(maxIdleTime));
    }

    public Duration getMaxReuseTime() {
        return config.getMaxReuseTime();
    }

    /** @see PoolConfig#setMaxReuseTime */
    public void setMaxReuseTime(Duration maxReuseTime) {
        set("maxReuseTime", (c) -> c.setMaxReuseTime(maxReuseTime));
    }

    public int getMaxPending() {
        return config.getMaxPending();
    }

    /** @see PoolConfig#setMaxPending */
    public void setMaxPending(int maxPending) {
        set("maxPending", (c) -> c.setMaxPending(maxPending));
    }

    public boolean isEarlyRejection() {
        return config.isEarlyRejection();
    }

    /** @see PoolConfig#setEarlyRejection */
    public void setEarlyRejection(boolean earlyRejection) {
        set("earlyRejection", (c) -> c.setEarlyRejection(earlyRejection));
    }

    public int getMaxReuseCount() {
        return config.getMaxReuseCount();
    }

    /** @see PoolConfig#setMaxReuseCount */
    public void setMaxReuseCount(int maxReuseCount) {
        set("maxReuseCount", (c) -> c.setMaxReuseCount(maxReuseCount));
    }

    public Duration getAbandonedConnectionTimeout() {
        return config.getAbandonedConnectionTimeout();
    }

    /** @see PoolConfig#setAbandonedConnectionTimeout */
    public void setAbandonedConnectionTimeout(Duration abandonedConnectionTimeout) {
        set("abandonedConnectionTimeout", (c) -> c.setAbandonedConnectionTimeout(abandonedConnectionTimeout));
    }

    public Duration getLeakDetectionThreshold() {
        return config.getLeakDetectionThreshold();
    }

    /** @see PoolConfig#setLeakDetectionThreshold */
    public void setLeakDetectionThreshold(Duration leakDetectionThreshold) {
        set("leakDetectionThreshold", (c) -> c.setLeakDetectionThreshold(leakDetectionThreshold));
    }

    public Duration getValidationTimeout() {
        return config.getValidationTimeout();
    }

    /** @see PoolConfig#setValidationTimeout */
    public void setValidationTimeout(Duration validationTimeout) {
        set("validationTimeout", (c) -> c.setValidationTimeout(validationTimeout));
    }

    public String getValidationQuery() {
        return config.getValidationQuery();
    }

    /** @see PoolConfig#setValidationQuery */
    public void setValidationQuery(String validationQuery) {
        set("validationQuery", (c) -> c.setValidationQuery(validationQuery));
    }

    public Duration getValidationInterval() {
        return config.getValidationInterval();
    }

    /** @see PoolConfig#setValidationInterval */
    public void setValidationInterval(Duration validationInterval) {
        set("validationInterval", (c) -> c.setValidationInterval(validationInterval));
    }

    public Duration getKeepaliveInterval() {
        return config.getKeepaliveInterval();
    }

    /** @see PoolConfig#setKeepaliveInterval */
    public void setKeepaliveInterval(Duration keepaliveInterval) {
        set("keepaliveInterval", (c) -> c.setKeepaliveInterval(keepaliveInterval));
    }

    public boolean isInitializationFailFast() {
        return config.isInitializationFailFast();
    }

    /** @see PoolConfig#setInitializationFailFast */
    public void setInitializationFailFast(boolean initializationFailFast) {
        set("initializationFailFast", (c) -> c.setInitializationFailFast(initializationFailFast));
    }

    public boolean isPrimaryRoleGuard() {
        return config.isPrimaryRoleGuard();
    }

    /** @see PoolConfig#setPrimaryRoleGuard */
    public void setPrimaryRoleGuard(boolean primaryRoleGuard) {
        set("primaryRoleGuard", (c) -> c.setPrimaryRoleGuard(primaryRoleGuard));
    }

    public Boolean getAutoCommit() {
        return config.getAutoCommit();
    }

    /** @see PoolConfig#setAutoCommit */
    public void setAutoCommit(Boolean autoCommit) {
        set("autoCommit", (c) -> c.setAutoCommit(autoCommit));
    }

    public Boolean getReadOnly() {
        return config.getReadOnly();
    }

    /** @see PoolConfig#setReadOnly */
    public void setReadOnly(Boolean readOnly) {
        set("readOnly", (c) -> c.setReadOnly(readOnly));
    }

    public IsolationLevel getTransactionIsolation() {
        return config.getTransactionIsolation();
    }

    /** @see PoolConfig#setTransactionIsolation */
    public void setTransactionIsolation(IsolationLevel transactionIsolation) {
        set("transactionIsolation", (c) -> c.setTransactionIsolation(transactionIsolation));
    }

    public String getCatalog() {
        return config.getCatalog();
    }

    /** @see PoolConfig#setCatalog */
    public void setCatalog(String catalog) {
        set("catalog", (c) -> c.setCatalog(catalog));
    }

    public String getSchema() {
        return config.getSchema();
    }

    /** @see PoolConfig#setSchema */
    public void setSchema(String schema) {
        set("schema", (c) -> c.setSchema(schema));
    }

    public String getConnectionInitSql() {
        return config.getConnectionInitSql();
    }

    /** @see PoolConfig#setConnectionInitSql */
    public void setConnectionInitSql(String connectionInitSql) {
        set("connectionInitSql", (c) -> c.setConnectionInitSql(connectionInitSql));
    }

    public Duration getShutdownTimeout() {
        return config.getShutdownTimeout();
    }

    /** @see PoolConfig#setShutdownTimeout */
    public void setShutdownTimeout(Duration shutdownTimeout) {
        set("shutdownTimeout", (c) -> c.setShutdownTimeout(shutdownTimeout));
    }

    public boolean isRegisterMbeans() {
        return config.isRegisterMbeans();
    }

    /** @see PoolConfig#setRegisterMbeans */
    public void setRegisterMbeans(boolean registerMbeans) {
        set("registerMbeans", (c) -> c.setRegisterMbeans(registerMbeans));
    }
}
