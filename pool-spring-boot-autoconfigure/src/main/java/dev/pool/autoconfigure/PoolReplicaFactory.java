package dev.pool.autoconfigure;

import dev.pool.CredentialsProvider;
import dev.pool.PoolConfig;
import dev.pool.PoolConfigException;
import dev.pool.PoolDataSource;
import dev.pool.ReplicaMonitor;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.util.StringUtils;

/**
 * Builds the read replicas' pools ({@code pool.replicas[n].*}) and their {@link ReplicaMonitor}.
 * A replica's pool has every setting of the primary's ({@code pool.*}) but its URL, its name
 * ({@code <name>-replica-<n>}), its own username and password where set (each defaults to the
 * primary's; with neither set it logs in as the primary does, also through the
 * {@link CredentialsProvider} bean), and the primary-role guard off (a replica is a standby). A replica that is down at
 * start-up does not stop the application (reads go to the primary until it answers), so its pool
 * never fails fast.
 */
class PoolReplicaFactory {

    /** How often each replica's reachability and lag are checked. */
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    private final PoolProperties properties;
    private final String primaryName;
    private final JdbcConnectionDetails primaryConnection;
    private final ObjectProvider<CredentialsProvider> credentialsProvider;

    PoolReplicaFactory(PoolProperties properties, String primaryName, JdbcConnectionDetails primaryConnection,
            ObjectProvider<CredentialsProvider> credentialsProvider) {
        this.properties = properties;
        this.primaryName = primaryName;
        this.primaryConnection = primaryConnection;
        this.credentialsProvider = credentialsProvider;
    }

    /** The pool of {@code pool.replicas[index]}, not yet connected. */
    PoolDataSource replica(int index) {
        PoolProperties.Replica replica = properties.getReplicas().get(index);
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
        return new PoolDataSource(config);
    }

    /** Checks the replicas each second; a check taking longer than {@code pool.validation-timeout} fails. */
    ReplicaMonitor replicaMonitor(List<PoolDataSource> replicas) {
        Duration checkTimeout = properties.getValidationTimeout();
        if (checkTimeout == null || checkTimeout.isZero() || checkTimeout.isNegative()) {
            checkTimeout = new PoolConfig().getValidationTimeout();
        }
        return new ReplicaMonitor(replicas, properties.getReplicaMaxLag(), CHECK_INTERVAL, checkTimeout);
    }
}
