package dev.pool;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * Everything a pool can be told, with its defaults. One setter per {@code pool.*} property (see the
 * README's property table); times are {@link Duration}s and {@code 0} disables a time limit unless
 * the setter says otherwise. A config is read once, when the pool is built: later changes do not
 * affect a running pool (use {@link PoolDataSource#resize} for sizes).
 */
public class PoolConfig {

    private String name = "pool";
    private String url;
    private String username;
    private String password;
    private CredentialsProvider credentialsProvider;
    private String driverClassName;
    private Map<String, String> dataSourceProperties = new LinkedHashMap<>();
    private DataSource dataSource;

    private int initialSize = 0;
    private int minSize = 0;
    private int minIdle = 0;
    private Integer maxIdle;
    private int maxSize = 10;

    private Duration connectionWaitTimeout = Duration.ofSeconds(30);
    private int maxPending = 0;
    private boolean earlyRejection = true;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration maxIdleTime = Duration.ofMinutes(10);
    private Duration maxReuseTime = Duration.ofMinutes(30);
    private int maxReuseCount = 0;
    private Duration abandonedConnectionTimeout = Duration.ZERO;
    private Duration leakDetectionThreshold = Duration.ZERO;

    private Duration validationTimeout = Duration.ofSeconds(5);
    private String validationQuery;
    private Duration validationInterval = Duration.ofSeconds(1);
    private Duration keepaliveInterval = Duration.ZERO;
    private boolean initializationFailFast = true;
    private boolean primaryRoleGuard = true;

    private Boolean autoCommit;
    private Boolean readOnly;
    private IsolationLevel transactionIsolation;
    private String catalog;
    private String schema;
    private String connectionInitSql;

    private Duration shutdownTimeout = Duration.ofSeconds(30);
    private boolean registerMbeans = false;

    /**
     * Checks every value and the rules between them.
     *
     * @throws PoolConfigException naming the first property that breaks a rule
     */
    public void validate() {
        if (name == null || name.isBlank()) {
            throw new PoolConfigException("pool.name", name, "must not be blank");
        }
        if (dataSource == null && (url == null || url.isBlank())) {
            throw new PoolConfigException("pool.url", url,
                    "a JDBC URL is required (set pool.url or spring.datasource.url, or give the pool a DataSource)");
        }
        nonNegative("pool.initial-size", initialSize);
        nonNegative("pool.min-size", minSize);
        nonNegative("pool.min-idle", minIdle);
        nonNegative("pool.max-size", maxSize);
        nonNegative("pool.max-reuse-count", maxReuseCount);
        nonNegative("pool.max-pending", maxPending);
        if (minSize > maxSize) {
            throw new PoolConfigException("pool.min-size", minSize, "must not be greater than pool.max-size (" + maxSize + ")");
        }
        if (minIdle > maxSize) {
            throw new PoolConfigException("pool.min-idle", minIdle, "must not be greater than pool.max-size (" + maxSize + ")");
        }
        if (maxIdle != null && minIdle > Math.max(0, maxIdle)) {
            throw new PoolConfigException("pool.min-idle", minIdle, "must not be greater than pool.max-idle (" + maxIdle + ")");
        }
        nonNegative("pool.connection-wait-timeout", connectionWaitTimeout);
        nonNegative("pool.connect-timeout", connectTimeout);
        nonNegative("pool.max-idle-time", maxIdleTime);
        nonNegative("pool.max-reuse-time", maxReuseTime);
        nonNegative("pool.abandoned-connection-timeout", abandonedConnectionTimeout);
        nonNegative("pool.leak-detection-threshold", leakDetectionThreshold);
        nonNegative("pool.validation-timeout", validationTimeout);
        nonNegative("pool.validation-interval", validationInterval);
        nonNegative("pool.keepalive-interval", keepaliveInterval);
        nonNegative("pool.shutdown-timeout", shutdownTimeout);
    }

    private static void nonNegative(String property, int value) {
        if (value < 0) {
            throw new PoolConfigException(property, value, "must be 0 or more");
        }
    }

    private static void nonNegative(String property, Duration value) {
        if (value == null) {
            throw new PoolConfigException(property, null, "must be set (use 0 to disable)");
        }
        if (value.isNegative()) {
            throw new PoolConfigException(property, value, "must not be negative (use 0 to disable)");
        }
    }

    /** Idle connections kept on return: {@code max-idle} if set, else {@code max-size}. */
    public int effectiveMaxIdle() {
        return maxIdle != null ? maxIdle : maxSize;
    }

    /** The driver connection properties: {@code data-source-properties} plus user and password. */
    public Properties connectionProperties() {
        Properties properties = new Properties();
        properties.putAll(dataSourceProperties);
        if (username != null) {
            properties.setProperty("user", username);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        return properties;
    }

    /** The pool's name in logs, metric tags, the endpoint and JMX. */
    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    /** The JDBC URL to connect to. */
    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    /**
     * Asked for the user name and password before every physical connect; when set, the pool's
     * {@code password} is not used (and its {@code username} only where the provider returns none).
     * With a {@link #setDataSource DataSource}, the pool then calls
     * {@code getConnection(username, password)} with what the provider returned.
     */
    public CredentialsProvider getCredentialsProvider() {
        return credentialsProvider;
    }

    public void setCredentialsProvider(CredentialsProvider credentialsProvider) {
        this.credentialsProvider = credentialsProvider;
    }

    /** The JDBC driver class; unset, the driver is found from the URL. */
    public String getDriverClassName() {
        return driverClassName;
    }

    public void setDriverClassName(String driverClassName) {
        this.driverClassName = driverClassName;
    }

    /** Passed to the driver as connection properties. */
    public Map<String, String> getDataSourceProperties() {
        return dataSourceProperties;
    }

    public void setDataSourceProperties(Map<String, String> dataSourceProperties) {
        this.dataSourceProperties = dataSourceProperties == null ? new LinkedHashMap<>() : new LinkedHashMap<>(dataSourceProperties);
    }

    /** An unpooled DataSource to take physical connections from, instead of url/username/password. */
    public DataSource getDataSource() {
        return dataSource;
    }

    public void setDataSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Connections opened at start-up; above {@code max-size} it opens {@code max-size}. */
    public int getInitialSize() {
        return initialSize;
    }

    public void setInitialSize(int initialSize) {
        this.initialSize = initialSize;
    }

    /** Floor on shrinking: retirement never takes the pool below this many connections. */
    public int getMinSize() {
        return minSize;
    }

    public void setMinSize(int minSize) {
        this.minSize = minSize;
    }

    /** Idle connections kept ready: the pool opens new ones in the background to keep this many idle. */
    public int getMinIdle() {
        return minIdle;
    }

    public void setMinIdle(int minIdle) {
        this.minIdle = minIdle;
    }

    /** Idle connections retained on return, {@code null} for {@code max-size}; {@code <= 0} retains none. */
    public Integer getMaxIdle() {
        return maxIdle;
    }

    public void setMaxIdle(Integer maxIdle) {
        this.maxIdle = maxIdle;
    }

    /** Hard cap on open connections (borrowed, idle and being opened); {@code 0} fails every borrow. */
    public int getMaxSize() {
        return maxSize;
    }

    public void setMaxSize(int maxSize) {
        this.maxSize = maxSize;
    }

    /** Longest {@code getConnection()} may take in any case; {@code 0} fails at once when none is free. */
    public Duration getConnectionWaitTimeout() {
        return connectionWaitTimeout;
    }

    public void setConnectionWaitTimeout(Duration connectionWaitTimeout) {
        this.connectionWaitTimeout = connectionWaitTimeout;
    }

    /** Longest one physical connect may take. */
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** An idle connection unused this long is closed, but not below {@code min-size}/{@code min-idle}. */
    public Duration getMaxIdleTime() {
        return maxIdleTime;
    }

    public void setMaxIdleTime(Duration maxIdleTime) {
        this.maxIdleTime = maxIdleTime;
    }

    /** A connection older than this is closed when idle or returned, never while borrowed. */
    public Duration getMaxReuseTime() {
        return maxReuseTime;
    }

    public void setMaxReuseTime(Duration maxReuseTime) {
        this.maxReuseTime = maxReuseTime;
    }

    /** The most callers waiting at once; one more fails at once (queue full). {@code 0}: unbounded. */
    public int getMaxPending() {
        return maxPending;
    }

    public void setMaxPending(int maxPending) {
        this.maxPending = maxPending;
    }

    /**
     * Fail a caller at once when the queue ahead of it and recent hold times say its wait would run
     * out before a connection comes; never while one is idle or the pool may grow.
     */
    public boolean isEarlyRejection() {
        return earlyRejection;
    }

    public void setEarlyRejection(boolean earlyRejection) {
        this.earlyRejection = earlyRejection;
    }

    /** A connection borrowed this many times is closed when returned; {@code 0} disables. */
    public int getMaxReuseCount() {
        return maxReuseCount;
    }

    public void setMaxReuseCount(int maxReuseCount) {
        this.maxReuseCount = maxReuseCount;
    }

    /** A borrowed connection with no JDBC call for this long is reclaimed. */
    public Duration getAbandonedConnectionTimeout() {
        return abandonedConnectionTimeout;
    }

    public void setAbandonedConnectionTimeout(Duration abandonedConnectionTimeout) {
        this.abandonedConnectionTimeout = abandonedConnectionTimeout;
    }

    /** A connection borrowed longer than this is logged once at WARN with the borrower's stack. */
    public Duration getLeakDetectionThreshold() {
        return leakDetectionThreshold;
    }

    public void setLeakDetectionThreshold(Duration leakDetectionThreshold) {
        this.leakDetectionThreshold = leakDetectionThreshold;
    }

    /** Limit for one validation. */
    public Duration getValidationTimeout() {
        return validationTimeout;
    }

    public void setValidationTimeout(Duration validationTimeout) {
        this.validationTimeout = validationTimeout;
    }

    /** SQL to validate with; unset, {@code Connection.isValid} is used. */
    public String getValidationQuery() {
        return validationQuery;
    }

    public void setValidationQuery(String validationQuery) {
        this.validationQuery = validationQuery;
    }

    /** An idle connection unused for longer than this is validated before it is lent. */
    public Duration getValidationInterval() {
        return validationInterval;
    }

    public void setValidationInterval(Duration validationInterval) {
        this.validationInterval = validationInterval;
    }

    /** Idle connections are validated in the background this often; {@code 0} disables. */
    public Duration getKeepaliveInterval() {
        return keepaliveInterval;
    }

    public void setKeepaliveInterval(Duration keepaliveInterval) {
        this.keepaliveInterval = keepaliveInterval;
    }

    /** If {@code initial-size} connections cannot be opened, construction fails with the cause. */
    public boolean isInitializationFailFast() {
        return initializationFailFast;
    }

    public void setInitializationFailFast(boolean initializationFailFast) {
        this.initializationFailFast = initializationFailFast;
    }

    /**
     * On PostgreSQL, close connections whose server turned out to be a standby: after a write fails
     * with SQLState {@code 25006} the pool asks {@code pg_is_in_recovery()} (SPEC "High
     * availability"). On by default; a pool meant for a replica turns it off. Other databases are
     * never affected.
     */
    public boolean isPrimaryRoleGuard() {
        return primaryRoleGuard;
    }

    public void setPrimaryRoleGuard(boolean primaryRoleGuard) {
        this.primaryRoleGuard = primaryRoleGuard;
    }

    /** Auto-commit of each lent connection; unset, the driver's default. */
    public Boolean getAutoCommit() {
        return autoCommit;
    }

    public void setAutoCommit(Boolean autoCommit) {
        this.autoCommit = autoCommit;
    }

    /** Read-only flag of each lent connection; unset, the driver's default. */
    public Boolean getReadOnly() {
        return readOnly;
    }

    public void setReadOnly(Boolean readOnly) {
        this.readOnly = readOnly;
    }

    /** Isolation level of each lent connection; unset, the driver's default. */
    public IsolationLevel getTransactionIsolation() {
        return transactionIsolation;
    }

    public void setTransactionIsolation(IsolationLevel transactionIsolation) {
        this.transactionIsolation = transactionIsolation;
    }

    /** Catalog of each lent connection; unset, the driver's default. */
    public String getCatalog() {
        return catalog;
    }

    public void setCatalog(String catalog) {
        this.catalog = catalog;
    }

    /** Schema of each lent connection; unset, the driver's default. */
    public String getSchema() {
        return schema;
    }

    public void setSchema(String schema) {
        this.schema = schema;
    }

    /** SQL run once on every new physical connection. */
    public String getConnectionInitSql() {
        return connectionInitSql;
    }

    public void setConnectionInitSql(String connectionInitSql) {
        this.connectionInitSql = connectionInitSql;
    }

    /** On close, how long to wait for borrowed connections before closing them. */
    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    /** Register a JMX MXBean {@code dev.pool:type=Pool,name=<name>}. */
    public boolean isRegisterMbeans() {
        return registerMbeans;
    }

    public void setRegisterMbeans(boolean registerMbeans) {
        this.registerMbeans = registerMbeans;
    }
}
