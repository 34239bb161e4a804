package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pool.test.EmbeddedPostgresExtension;
import dev.pool.test.Load;
import dev.pool.test.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code close()} under load on a real PostgreSQL, many times over: it returns once the borrowers
 * have given their connections back (it never waits out {@code shutdown-timeout} for a connection
 * nobody holds), and leaves no backend on the server ({@code pg_stat_activity}).
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class ShutdownPostgresTest {

    private static final String APPLICATION_NAME = "pool-shutdown-under-load";
    private static final long BOUND_SECONDS = 20;

    private final TestDatabase db;

    ShutdownPostgresTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void closeUnderLoadWaitsOnlyForTheBorrowersAndLeavesNoBackend() throws Exception {
        for (int round = 0; round < 15; round++) {
            PoolConfig config = new PoolConfig();
            config.setName("shutdown-pg");
            config.setUrl(db.jdbcUrl(APPLICATION_NAME));
            config.setUsername(db.username());
            config.setPassword(db.password());
            config.setMaxSize(4);
            config.setShutdownTimeout(Duration.ofSeconds(60)); // longer than any bound below: waiting it out fails the test
            PoolDataSource pool = new PoolDataSource(config);
            int borrowers = 12;
            CountDownLatch running = new CountDownLatch(borrowers);
            AtomicLong longestBorrowNanos = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < borrowers; i++) {
                Thread t = new Thread(() -> {
                    boolean counted = false;
                    for (;;) {
                        long start = System.nanoTime();
                        try (Connection c = pool.getConnection()) {
                            Load.SELECT_ONE.use(c);
                        } catch (SQLException closed) {
                            return;
                        }
                        longestBorrowNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                        if (!counted) {
                            running.countDown();
                            counted = true;
                        }
                    }
                }, "pg-borrower-" + i);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
            assertThat(running.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();

            long closeStart = System.nanoTime();
            Thread closer = new Thread(pool::close, "closer");
            closer.start();
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
                assertThat(t.isAlive()).isFalse();
            }
            closer.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
            long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closeStart);
            assertThat(closer.isAlive())
                    .as("round %d: close() still waiting %d ms after it began, the longest borrow took %d ms", round, closeMillis,
                            TimeUnit.NANOSECONDS.toMillis(longestBorrowNanos.get()))
                    .isFalse();
            assertThat(pool.stats().total()).as("round %d", round).isZero();
            int finalRound = round;
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(db.backendCount(APPLICATION_NAME)).as("round %d: backends left after close()", finalRound).isZero());
        }
    }
}
