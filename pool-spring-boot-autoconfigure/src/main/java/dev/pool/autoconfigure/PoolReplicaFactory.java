package dev.pool.autoconfigure;

import dev.pool.CredentialsProvider;
import dev.pool.PoolConfig;
import dev.pool.PoolConfigException;
import dev.pool.PoolDataSource;
import dev.pool.ReplicaMonitor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.util.StringUtils;

/**
 * Builds the read replicas' pools ({@code pool.replicas[n].*}) and their {@link ReplicaMonitor}.
 * A replica's pool has every setting of the primary's ({@code pool.*}) but its URL, its name
 * ({@code <name>-replica-<n>}), its own username and password where set (each defaults to the
 * primary's; with neither set it logs in as the primary does, also through the
 * {@link CredentialsProvider} bean), and the primary-role guard off (a replica is a standby). A
 * replica that is down at start-up does not stop the application (reads go to the primary until
 * it answers), so its pool never fails fast.
 *
 * <p>A bean of its own with factory methods ({@link #replica(int)}, {@link #replicaMonitor()}) that
 * {@link PoolReplicasRegistrar} names in plain bean definitions, so that ahead-of-time processing
 * can write them as code.
 */
class PoolReplicaFactory {

    /** How often each replica's reachability and lag are checked. */
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    private final PoolProperties properties;
    private final String primaryName;
    private final JdbcConnectionDetails primaryConnection;
    private final ObjectProvider<CredentialsProvider> credentialsProvider;
    /** The pools built so far, by index; the monitor bean is created after all of them (depends-on). */
    private final List<PoolDataSource> replicas = new ArrayList<>();

    PoolReplicaFactory(PoolProperties properties, DataSourceProperties dataSourceProperties,
            JdbcConnectionDetails primaryConnection, ObjectProvider<CredentialsProvider> credentialsProvider) {
        this.properties = properties;
        this.primaryName = PoolAutoConfiguration.PoolDataSourceConfiguration.poolName(properties, dataSourceProperties);
        this.primaryConnection = primaryConnection;
        this.credentialsProvider = credentialsProvider;
    }

    /** The pool of {@code pool.replicas[index]}, not yet connected. */
    synchronized PoolDataSource replica(int index) {
        PoolProperties.Replica replica = (index < properties.getReplicas().size()) ? properties.getReplicas().get(index)
                : new PoolProperties.Replica();
        String prefix = "pool.replicas[" + index + "].";
        if (!StringUtils.hasText(replica.getUrl())) {
            throw new PoolConfigException(prefix + "url", replica.getUrl(), "must be set to the JDBC URL of the replica");
        }
        PoolConfig config = properties.toPoolConfig();
        config.setName(primaryName + "-replica-" + index);
        config.setUrl(replica.getUrl());
        config.setDriverClassName(properties.getDriverClassName()); // null: found from the replica's URL
        config.setUsername((replica.getUsername() != null) ? replica.getUsername() : primaryConnection.getUsername());
        config.setPassword((replica.getPassword() != null) ? replica.getPassword() : primaryConnection.getPassword());
        if (replica.getUsername() == null && replica.getPassword() == null) {
            config.setCredentialsProvider(credentialsProvider.getIfAvailable()); // logs in as the primary's pool does
        }
        config.setInitializationFailFast(false);
        config.setPrimaryRoleGuard(false); // a replica is a standby by design: the guard would refuse it
        PoolDataSource pool = new PoolDataSource(config);
        replicas.add(pool);
        return pool;
    }

    /**
     * Checks every replica built by {@link #replica(int)} each second; a check taking longer than
     * {@code pool.validation-timeout} fails.
     */
    synchronized ReplicaMonitor replicaMonitor() {
        Duration checkTimeout = properties.getValidationTimeout();
        if (checkTimeout == null || checkTimeout.isZero() || checkTimeout.isNegative()) {
            checkTimeout = new PoolConfig().getValidationTimeout();
        }
        return new ReplicaMonitor(List.copyOf(replicas), properties.getReplicaMaxLag(), CHECK_INTERVAL, checkTimeout);
    }
}
