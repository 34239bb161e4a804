package dev.pool.autoconfigure;

import dev.pool.IsolationLevel;
import dev.pool.PoolConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code pool.*} properties. Defaults are those of {@link PoolConfig}; where the connection
 * comes from ({@code url}, {@code username}, {@code password}) is resolved by
 * {@link PoolAutoConfiguration}, which falls back to {@code spring.datasource.*}.
 */
@ConfigurationProperties("pool")
public class PoolProperties {

    /** Whether to register the pool as the application's DataSource; false backs off entirely. */
    private boolean enabled = true;

    /**
     * Name of the pool in logs, metric tags, the actuator endpoint and JMX. Defaults to
     * spring.datasource.name if that is set, else "pool".
     */
    private String name;

    /** JDBC URL of the database. Defaults to what Boot resolves for spring.datasource.url. */
    private String url;

    /** Login username of the database. Defaults to spring.datasource.username. */
    private String username;

    /** Login password of the database. Defaults to spring.datasource.password. */
    private String password;

    /** Fully qualified name of the JDBC driver. Found from the URL by default. */
    private String driverClassName;

    /** Connection properties passed to the JDBC driver. */
    private Map<String, String> dataSourceProperties = new LinkedHashMap<>();

    /** Connections opened at start-up, before the application takes traffic; capped at max-size. */
    private int initialSize = 0;

    /** Floor on shrinking: retirement never takes the pool below this many connections. */
    private int minSize = 0;

    /** Idle connections kept ready; the pool opens new ones in the background, within max-size. */
    private int minIdle = 0;

    /** Idle connections retained when returned; 0 or less retains none. Defaults to max-size. */
    private Integer maxIdle;

    /** Hard cap on open connections (borrowed, idle and being opened); 0 fails every borrow. */
    private int maxSize = 10;

    /** Longest getConnection() may take in any case; 0 fails at once when none is free. */
    private Duration connectionWaitTimeout = Duration.ofSeconds(30);

    /** Longest one physical connect may take. */
    private Duration connectTimeout = Duration.ofSeconds(10);

    /** An idle connection unused this long is closed, but not below min-size or min-idle; 0 disables. */
    private Duration maxIdleTime = Duration.ofMinutes(10);

    /** A connection older than this is closed when idle or returned, never while borrowed; 0 disables. */
    private Duration maxReuseTime = Duration.ofMinutes(30);

    /** A connection borrowed this many times is closed when returned; 0 disables. */
    private int maxReuseCount = 0;

    /** The most callers waiting for a connection at once; one more fails at once (queue full). 0: unbounded. */
    private int maxPending = 0;

    /**
     * Fail a caller at once when the queue ahead of it and recent hold times say its wait would run out
     * before a connection comes; never while one is idle or the pool may grow.
     */
    private boolean earlyRejection = true;

    /** A borrowed connection with no JDBC call for this long is rolled back, closed and reclaimed; 0 disables. */
    private Duration abandonedConnectionTimeout = Duration.ZERO;

    /** A connection borrowed longer than this is logged once at WARN with the borrowing stack; 0 disables. */
    private Duration leakDetectionThreshold = Duration.ZERO;

    /** Limit for one validation. */
    private Duration validationTimeout = Duration.ofSeconds(5);

    /** SQL to validate connections with. Connection.isValid is used by default. */
    private String validationQuery;

    /** An idle connection unused for longer than this is validated before it is lent. */
    private Duration validationInterval = Duration.ofSeconds(1);

    /** How often idle connections are validated in the background; 0 disables. */
    private Duration keepaliveInterval = Duration.ZERO;

    /** Whether start-up fails with the cause if initial-size connections cannot be opened. */
    private boolean initializationFailFast = true;

    /**
     * Whether, on PostgreSQL, connections whose server turned out to be a standby are closed: after a
     * write fails with SQLState 25006 the pool asks pg_is_in_recovery(). Turn off for a pool meant
     * for a replica.
     */
    private boolean primaryRoleGuard = true;

    /** Auto-commit state of each lent connection. The driver's default by default. */
    private Boolean autoCommit;

    /** Read-only state of each lent connection. The driver's default by default. */
    private Boolean readOnly;

    /** Transaction isolation level of each lent connection. The driver's default by default. */
    private IsolationLevel transactionIsolation;

    /** Catalog of each lent connection. The driver's default by default. */
    private String catalog;

    /** Schema of each lent connection. The driver's default by default. */
    private String schema;

    /** SQL run once on every new physical connection. */
    private String connectionInitSql;

    /** On close, how long to wait for borrowed connections before closing them. */
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    /** Whether to register a JMX MXBean for the pool, as dev.pool:type=Pool with the pool's name. */
    private boolean registerMbeans = false;

    /** What the pool publishes to Micrometer (with Micrometer on the class path). */
    private final Metrics metrics = new Metrics();

    /**
     * Read replicas: one more pool per entry, named "<name>-replica-<n>", with the settings of the
     * primary's pool. Read-only transactions borrow from the usable replica with the fewest borrowed
     * connections, everything else from the primary.
     */
    private List<Replica> replicas = new ArrayList<>();

    /**
     * A replica whose replay lag is more than this is skipped until it catches up; 0 disables the lag
     * check (a replica that answers is used however far behind).
     */
    private Duration replicaMaxLag = Duration.ofSeconds(10);

    /**
     * Whether to sample which call sites borrow connections and for how long (the endpoint's
     * holders, and the names in a timeout's message).
     */
    private boolean trackHolders = true;

    /**
     * Whether a transaction's timeout (@Transactional(timeout), spring.transaction.default-timeout)
     * bounds the wait for its connection, so that the wait ends when the transaction would fail anyway.
     */
    private boolean transactionTimeoutBoundsWait = true;

    /**
     * A {@link PoolConfig} with every property but the connection ({@code url}, {@code username},
     * {@code password}, {@code driver-class-name}), which the caller resolves.
     */
    public PoolConfig toPoolConfig() {
        PoolConfig config = new PoolConfig();
        if (name != null) {
            config.setName(name);
        }
        config.setDataSourceProperties(dataSourceProperties);
        config.setInitialSize(initialSize);
        config.setMinSize(minSize);
        config.setMinIdle(minIdle);
        config.setMaxIdle(maxIdle);
        config.setMaxSize(maxSize);
        config.setConnectionWaitTimeout(connectionWaitTimeout);
        config.setConnectTimeout(connectTimeout);
        config.setMaxIdleTime(maxIdleTime);
        config.setMaxReuseTime(maxReuseTime);
        config.setMaxReuseCount(maxReuseCount);
        config.setMaxPending(maxPending);
        config.setEarlyRejection(earlyRejection);
        config.setAbandonedConnectionTimeout(abandonedConnectionTimeout);
        config.setLeakDetectionThreshold(leakDetectionThreshold);
        config.setValidationTimeout(validationTimeout);
        config.setValidationQuery(validationQuery);
        config.setValidationInterval(validationInterval);
        config.setKeepaliveInterval(keepaliveInterval);
        config.setInitializationFailFast(initializationFailFast);
        config.setPrimaryRoleGuard(primaryRoleGuard);
        config.setAutoCommit(autoCommit);
        config.setReadOnly(readOnly);
        config.setTransactionIsolation(transactionIsolation);
        config.setCatalog(catalog);
        config.setSchema(schema);
        config.setConnectionInitSql(connectionInitSql);
        config.setShutdownTimeout(shutdownTimeout);
        config.setRegisterMbeans(registerMbeans);
        config.setTrackHolders(trackHolders);
        return config;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

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

    public String getDriverClassName() {
        return driverClassName;
    }

    public void setDriverClassName(String driverClassName) {
        this.driverClassName = driverClassName;
    }

    public Map<String, String> getDataSourceProperties() {
        return dataSourceProperties;
    }

    public void setDataSourceProperties(Map<String, String> dataSourceProperties) {
        this.dataSourceProperties = dataSourceProperties;
    }

    public int getInitialSize() {
        return initialSize;
    }

    public void setInitialSize(int initialSize) {
        this.initialSize = initialSize;
    }

    public int getMinSize() {
        return minSize;
    }

    public void setMinSize(int minSize) {
        this.minSize = minSize;
    }

    public int getMinIdle() {
        return minIdle;
    }

    public void setMinIdle(int minIdle) {
        this.minIdle = minIdle;
    }

    public Integer getMaxIdle() {
        return maxIdle;
    }

    public void setMaxIdle(Integer maxIdle) {
        this.maxIdle = maxIdle;
    }

    public int getMaxSize() {
        return maxSize;
    }

    public void setMaxSize(int maxSize) {
        this.maxSize = maxSize;
    }

    public Duration getConnectionWaitTimeout() {
        return connectionWaitTimeout;
    }

    public void setConnectionWaitTimeout(Duration connectionWaitTimeout) {
        this.connectionWaitTimeout = connectionWaitTimeout;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getMaxIdleTime() {
        return maxIdleTime;
    }

    public void setMaxIdleTime(Duration maxIdleTime) {
        this.maxIdleTime = maxIdleTime;
    }

    public Duration getMaxReuseTime() {
        return maxReuseTime;
    }

    public void setMaxReuseTime(Duration maxReuseTime) {
        this.maxReuseTime = maxReuseTime;
    }

    public int getMaxPending() {
        return maxPending;
    }

    public void setMaxPending(int maxPending) {
        this.maxPending = maxPending;
    }

    public boolean isEarlyRejection() {
        return earlyRejection;
    }

    public void setEarlyRejection(boolean earlyRejection) {
        this.earlyRejection = earlyRejection;
    }

    public int getMaxReuseCount() {
        return maxReuseCount;
    }

    public void setMaxReuseCount(int maxReuseCount) {
        this.maxReuseCount = maxReuseCount;
    }

    public Duration getAbandonedConnectionTimeout() {
        return abandonedConnectionTimeout;
    }

    public void setAbandonedConnectionTimeout(Duration abandonedConnectionTimeout) {
        this.abandonedConnectionTimeout = abandonedConnectionTimeout;
    }

    public Duration getLeakDetectionThreshold() {
        return leakDetectionThreshold;
    }

    public void setLeakDetectionThreshold(Duration leakDetectionThreshold) {
        this.leakDetectionThreshold = leakDetectionThreshold;
    }

    public Duration getValidationTimeout() {
        return validationTimeout;
    }

    public void setValidationTimeout(Duration validationTimeout) {
        this.validationTimeout = validationTimeout;
    }

    public String getValidationQuery() {
        return validationQuery;
    }

    public void setValidationQuery(String validationQuery) {
        this.validationQuery = validationQuery;
    }

    public Duration getValidationInterval() {
        return validationInterval;
    }

    public void setValidationInterval(Duration validationInterval) {
        this.validationInterval = validationInterval;
    }

    public Duration getKeepaliveInterval() {
        return keepaliveInterval;
    }

    public void setKeepaliveInterval(Duration keepaliveInterval) {
        this.keepaliveInterval = keepaliveInterval;
    }

    public boolean isInitializationFailFast() {
        return initializationFailFast;
    }

    public void setInitializationFailFast(boolean initializationFailFast) {
        this.initializationFailFast = initializationFailFast;
    }

    public boolean isPrimaryRoleGuard() {
        return primaryRoleGuard;
    }

    public void setPrimaryRoleGuard(boolean primaryRoleGuard) {
        this.primaryRoleGuard = primaryRoleGuard;
    }

    public Boolean getAutoCommit() {
        return autoCommit;
    }

    public void setAutoCommit(Boolean autoCommit) {
        this.autoCommit = autoCommit;
    }

    public Boolean getReadOnly() {
        return readOnly;
    }

    public void setReadOnly(Boolean readOnly) {
        this.readOnly = readOnly;
    }

    public IsolationLevel getTransactionIsolation() {
        return transactionIsolation;
    }

    public void setTransactionIsolation(IsolationLevel transactionIsolation) {
        this.transactionIsolation = transactionIsolation;
    }

    public String getCatalog() {
        return catalog;
    }

    public void setCatalog(String catalog) {
        this.catalog = catalog;
    }

    public String getSchema() {
        return schema;
    }

    public void setSchema(String schema) {
        this.schema = schema;
    }

    public String getConnectionInitSql() {
        return connectionInitSql;
    }

    public void setConnectionInitSql(String connectionInitSql) {
        this.connectionInitSql = connectionInitSql;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public boolean isRegisterMbeans() {
        return registerMbeans;
    }

    public void setRegisterMbeans(boolean registerMbeans) {
        this.registerMbeans = registerMbeans;
    }

    public boolean isTrackHolders() {
        return trackHolders;
    }

    public void setTrackHolders(boolean trackHolders) {
        this.trackHolders = trackHolders;
    }

    public boolean isTransactionTimeoutBoundsWait() {
        return transactionTimeoutBoundsWait;
    }

    public void setTransactionTimeoutBoundsWait(boolean transactionTimeoutBoundsWait) {
        this.transactionTimeoutBoundsWait = transactionTimeoutBoundsWait;
    }

    public List<Replica> getReplicas() {
        return replicas;
    }

    public void setReplicas(List<Replica> replicas) {
        this.replicas = replicas;
    }

    public Duration getReplicaMaxLag() {
        return replicaMaxLag;
    }

    public void setReplicaMaxLag(Duration replicaMaxLag) {
        this.replicaMaxLag = replicaMaxLag;
    }

    /** One read replica ({@code pool.replicas[n].*}). */
    public static class Replica {

        /** JDBC URL of the replica. */
        private String url;

        /** Login username of the replica. Defaults to the primary's. */
        private String username;

        /** Login password of the replica. Defaults to the primary's. */
        private String password;

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
    }

    public Metrics getMetrics() {
        return metrics;
    }

    /** The {@code pool.metrics.*} properties: read by the metrics auto-configuration, not by the pool. */
    public static class Metrics {

        /**
         * Whether to publish the OpenTelemetry semantic-convention meters db.client.connection.*
         * (tagged db.client.connection.pool.name) as well as pool.connections.*.
         */
        private boolean otelNames = false;

        public boolean isOtelNames() {
            return otelNames;
        }

        public void setOtelNames(boolean otelNames) {
            this.otelNames = otelNames;
        }
    }
}
