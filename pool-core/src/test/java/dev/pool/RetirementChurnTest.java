package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pool.test.CountingDataSource;
import dev.pool.test.EmbeddedPostgresExtension;
import dev.pool.test.InvariantChecker;
import dev.pool.test.Load;
import dev.pool.test.TestDatabase;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;

/**
 * {@code max-size} caps physical connections, and a connection being retired is still one until
 * its {@code close()} has returned. Under constant retirement (each connection closed after one
 * borrow, or all of them evicted over and over) while borrowers wait, the pool must never have more
 * than {@code max-size} open at the driver, nor the server more than {@code max-size} backends.
 * Every physical close here takes 200 ms, as over a slow network: a pool that opens the replacement
 * before the close has returned is caught at once.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class RetirementChurnTest {

    private static final int MAX_SIZE = 5;
    private static final Duration SLOW_CLOSE = Duration.ofMillis(200);

    @Test
    void physicalConnectionsNeverOutnumberMaxSizeWhenEachIsRetiredAfterOneBorrow(TestDatabase db) throws Exception {
        churn(db, "pool-churn-reuse", config -> config.setMaxReuseCount(1), pool -> { });
    }

    @Test
    void physicalConnectionsNeverOutnumberMaxSizeWhileEvictAllRunsUnderLoad(TestDatabase db) throws Exception {
        churn(db, "pool-churn-evict", config -> { }, PoolDataSource::evictAll);
    }

    private static void churn(TestDatabase db, String applicationName, Consumer<PoolConfig> settings,
            Consumer<PoolDataSource> meanwhile) throws Exception {
        CountingDataSource physical = new CountingDataSource(db.unpooledDataSource(applicationName));
        physical.setCloseDelay(SLOW_CLOSE);
        PoolConfig config = new PoolConfig();
        config.setName("churn");
        config.setDataSource(physical.dataSource());
        config.setMaxSize(MAX_SIZE);
        settings.accept(config);
        try (PoolDataSource pool = new PoolDataSource(config);
                InvariantChecker checker = new InvariantChecker(pool, MAX_SIZE, PGConnection.class).serverSide(db, applicationName).start()) {
            Load load = new Load(checker, 4 * MAX_SIZE, Load.SELECT_ONE).start();
            try {
                // until the pool has replaced every connection a few times over, or has had one too many open
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5)).until(() -> {
                    meanwhile.accept(pool);
                    return physical.maxOpen() > MAX_SIZE || physical.opened() >= 6 * MAX_SIZE;
                });
            } finally {
                assertThat(load.stop(Duration.ofSeconds(10))).as("no borrower hangs").isTrue();
            }
            System.out.printf("%s: %d connections opened, at most %d open at once (max-size %d), %d calls; %s%n",
                    applicationName, physical.opened(), physical.maxOpen(), MAX_SIZE, load.successes(), checker);
            assertThat(physical.maxOpen()).as("physical connections open at once (a retired one counts until its close() returned)")
                    .isLessThanOrEqualTo(MAX_SIZE);
            assertThat(load.failures()).isEmpty();
            checker.assertNoViolations();
            checker.assertQuiescent(Duration.ofSeconds(10));
        }
    }
}
