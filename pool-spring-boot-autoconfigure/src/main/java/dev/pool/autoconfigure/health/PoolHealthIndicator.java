package dev.pool.autoconfigure.health;

import dev.pool.PoolDataSource;
import dev.pool.PoolState;
import dev.pool.PoolStats;
import dev.pool.ReplicaMonitor;
import dev.pool.UrlMasker;
import java.sql.SQLException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of one pool, read from its stats without borrowing a connection (Boot's {@code db}
 * indicator already runs a query): UP with {@code state}, {@code active}, {@code idle},
 * {@code pending} and {@code max}; DOWN once the pool cannot open connections and has none idle,
 * with the last connect error; DOWN when the pool is closed.
 *
 * <p>A read replica's pool ({@code pool.replicas[n]}) is UP also when it cannot connect, with
 * {@code replica: true}, {@code usable} and, while it is skipped, {@code skippedBecause}: its reads
 * go to the primary then, so the application still serves them, and a replica that dies must not
 * take every instance out of its load balancer (Boot's health aggregate is the worst status).
 */
public class PoolHealthIndicator implements HealthIndicator {

    private final PoolDataSource pool;
    private final ReplicaMonitor replicas;

    public PoolHealthIndicator(PoolDataSource pool) {
        this(pool, null);
    }

    /** @param replicas the monitor of the read replicas if {@code pool} is one of them, else null */
    public PoolHealthIndicator(PoolDataSource pool, ReplicaMonitor replicas) {
        this.pool = pool;
        this.replicas = (replicas != null && replicas.replicas().contains(pool)) ? replicas : null;
    }

    @Override
    public Health health() {
        PoolStats stats = pool.stats();
        PoolState state = pool.state();
        SQLException connectError = pool.getLastConnectError();
        boolean cannotLend = connectError != null && stats.idle() == 0;
        boolean down = state == PoolState.CLOSED || (cannotLend && replicas == null);
        Health.Builder health = down ? Health.down() : Health.up();
        health.withDetail("state", state)
                .withDetail("active", stats.active())
                .withDetail("idle", stats.idle())
                .withDetail("pending", stats.pending())
                .withDetail("max", stats.maxSize());
        if (replicas != null) {
            boolean usable = replicas.isUsable(pool);
            health.withDetail("replica", true).withDetail("usable", usable);
            if (!usable) {
                String reason = replicas.unusableReason(pool);
                health.withDetail("skippedBecause", UrlMasker.mask(reason != null ? reason : "unknown"));
            }
        }
        if (cannotLend) {
            // a driver may quote the URL it failed to reach, password and all
            health.withDetail("error", UrlMasker.mask(connectError.getClass().getName() + ": " + connectError.getMessage()));
            if (connectError.getSQLState() != null) {
                health.withDetail("sqlState", connectError.getSQLState());
            }
        }
        return health.build();
    }
}
