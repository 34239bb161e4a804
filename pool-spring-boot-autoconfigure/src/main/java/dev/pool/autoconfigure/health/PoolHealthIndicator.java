package dev.pool.autoconfigure.health;

import dev.pool.PoolDataSource;
import dev.pool.PoolState;
import dev.pool.PoolStats;
import dev.pool.UrlMasker;
import java.sql.SQLException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of one pool, read from its stats without borrowing a connection (Boot's {@code db}
 * indicator already runs a query): UP with {@code state}, {@code active}, {@code idle},
 * {@code pending} and {@code max}; DOWN once the pool cannot open connections and has none idle,
 * with the last connect error; DOWN when the pool is closed.
 */
public class PoolHealthIndicator implements HealthIndicator {

    private final PoolDataSource pool;

    public PoolHealthIndicator(PoolDataSource pool) {
        this.pool = pool;
    }

    @Override
    public Health health() {
        PoolStats stats = pool.stats();
        PoolState state = pool.state();
        SQLException connectError = pool.getLastConnectError();
        boolean cannotLend = connectError != null && stats.idle() == 0;
        Health.Builder health = (state == PoolState.CLOSED || cannotLend) ? Health.down() : Health.up();
        health.withDetail("state", state)
                .withDetail("active", stats.active())
                .withDetail("idle", stats.idle())
                .withDetail("pending", stats.pending())
                .withDetail("max", stats.maxSize());
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
