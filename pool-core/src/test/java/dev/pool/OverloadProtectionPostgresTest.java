package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.test.EmbeddedPostgresExtension;
import dev.pool.test.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Early rejection and deadlock detection against a real PostgreSQL: the hold time the prediction
 * uses is a real statement's, and a rejected or deadlocked caller leaves nothing behind on the server.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class OverloadProtectionPostgresTest {

    private final TestDatabase db;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    OverloadProtectionPostgresTest(TestDatabase db) {
        this.db = db;
    }

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void waiterBehindARealStatementsHoldIsRejectedAtOnceAndTheServerSeesNoExtraBackend() throws Exception {
        String applicationName = "pool-it-early-rejection";
        try (PoolDataSource pool = pool("pg-early", applicationName, 1)) {
            try (Connection held = pool.getConnection()) {
                Borrower sleeper = Borrower.parked(pool, c -> {
                    try (Statement s = c.createStatement()) {
                        s.execute("select pg_sleep(0.3)"); // the hold the pool measures
                    }
                });
                held.close();
                sleeper.join();
            }
            try (Connection held = pool.getConnection()) {
                Future<String> rejected = threads.submit(() -> {
                    try (Connection c = pool.getConnection(Duration.ofMillis(10))) {
                        return "served";
                    } catch (SQLTransientConnectionException e) {
                        return e.getMessage();
                    }
                });
                assertThat(rejected.get(10, TimeUnit.SECONDS)).contains("predicted-timeout").contains("pg-early");
                assertThat(db.backendCount(applicationName)).isEqualTo(1);
            }
            assertThat(pool.stats().rejections()).containsEntry(RejectionReason.PREDICTED_TIMEOUT, 1L);
            assertThat(pool.stats().timeouts()).isZero();
        }
    }

    @Test
    void nestedBorrowsOnRealConnectionsAreFailedAsDeadlockAndReturnEverything() throws Exception {
        String applicationName = "pool-it-deadlock";
        try (PoolDataSource pool = pool("pg-deadlock", applicationName, 2)) {
            CyclicBarrier bothHold = new CyclicBarrier(2);
            java.util.List<Future<String>> nested = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                nested.add(threads.submit(() -> {
                    try (Connection outer = pool.getConnection()) {
                        outer.createStatement().execute("select 1");
                        bothHold.await(10, TimeUnit.SECONDS);
                        try (Connection inner = pool.getConnection()) {
                            return "served";
                        }
                    } catch (SQLException e) {
                        return e.getMessage();
                    }
                }));
            }
            for (Future<String> outcome : nested) {
                assertThat(outcome.get(10, TimeUnit.SECONDS)).contains("deadlock").contains("smallest safe max-size is 3");
            }
            assertThat(pool.stats().active()).isZero();
            assertThat(pool.stats().rejections()).containsEntry(RejectionReason.DEADLOCK, 2L);
            try (Connection c = pool.getConnection()) {
                assertThat(c.isValid(1)).as("the pool lends again afterwards").isTrue();
            }
        }
    }

    private PoolDataSource pool(String name, String applicationName, int maxSize) {
        PoolConfig config = new PoolConfig();
        config.setName(name);
        config.setUrl(db.jdbcUrl(applicationName));
        config.setUsername(db.username());
        config.setPassword(db.password());
        config.setMaxSize(maxSize);
        return new PoolDataSource(config);
    }
}
