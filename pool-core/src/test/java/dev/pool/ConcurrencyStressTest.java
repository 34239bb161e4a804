package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pool.test.StubConnection;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Many threads borrowing and returning on a small pool, checked against what the stub driver saw,
 * not against the pool's own counts: no physical connection is ever lent to two borrowers at once,
 * the driver never has more than {@code max-size} connections open, every borrow is a lend the
 * driver's connections counted, and no connection is lent more than {@code max-reuse-count} times.
 */
class ConcurrencyStressTest {

    private static final int THREADS = 16;
    private static final int ITERATIONS = 3_000;

    @RegisterExtension
    final StubPools pools = new StubPools();

    static Stream<Arguments> configurations() {
        return Stream.of(
                Arguments.of("steady pool of 4", (Consumer<PoolConfig>) c -> c.setMaxSize(4)),
                Arguments.of("churning pool: reuse count 25, max-idle 2", (Consumer<PoolConfig>) c -> {
                    c.setMaxSize(4);
                    c.setMaxIdle(2);
                    c.setMaxReuseCount(25);
                }),
                Arguments.of("single connection", (Consumer<PoolConfig>) c -> c.setMaxSize(1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void noConnectionIsLentTwiceOrPastItsLimitsAsTheDriverSeesIt(String name, Consumer<PoolConfig> settings) throws Exception {
        PoolDataSource pool = pools.create(settings.andThen(c -> c.setConnectionWaitTimeout(Duration.ofSeconds(20))));
        int maxSize = pool.stats().maxSize();
        Queue<String> violations = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong snapshots = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(THREADS);

        Thread observer = new Thread(() -> {
            while (running.get()) {
                int open = pools.driver.openConnections(); // a retired connection keeps its slot until its close returns
                PoolStats s = pool.stats();
                snapshots.incrementAndGet();
                if (open > maxSize) {
                    violations.add(open + " physical connections open at once, max-size " + maxSize);
                }
                if (s.total() > maxSize || s.active() > maxSize || s.pending() > THREADS) {
                    violations.add("snapshot beyond the pool's limits " + s);
                }
            }
        });
        observer.start();
        for (int t = 0; t < THREADS; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < ITERATIONS; i++) {
                        borrowUseAndReturn(pool, violations);
                    }
                } catch (Throwable e) {
                    violations.add(Thread.currentThread().getName() + " failed: " + e);
                } finally {
                    done.countDown();
                }
            }, "stress-" + t);
            worker.start();
        }
        start.countDown();
        boolean finished = done.await(120, TimeUnit.SECONDS);
        running.set(false);
        observer.join(10_000);

        assertThat(finished).as("all workers finished").isTrue();
        assertThat(violations).isEmpty();
        assertThat(snapshots.get()).isPositive();
        PoolStats s = pool.stats();
        assertThat(s.active()).isZero();
        assertThat(s.pending()).isZero();
        assertThat(s.borrowed()).isEqualTo((long) THREADS * ITERATIONS);
        assertThat(s.total()).isLessThanOrEqualTo(maxSize);
        List<StubConnection> physical = pools.driver.connections();
        assertThat(physical.stream().mapToLong(StubConnection::claims).sum()).as("lends the driver's connections saw")
                .isEqualTo((long) THREADS * ITERATIONS);
        assertThat(physical).as("connections still held by a borrower").allSatisfy(c -> assertThat(c.owner()).isNull());
        int maxReuseCount = pool.getConfig().getMaxReuseCount();
        if (maxReuseCount > 0) {
            assertThat(physical).as("no connection lent more than max-reuse-count times")
                    .allSatisfy(c -> assertThat(c.claims()).isLessThanOrEqualTo(maxReuseCount));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(physical)
                    .as("connections lent max-reuse-count times are closed")
                    .filteredOn(c -> c.claims() == maxReuseCount).allSatisfy(c -> assertThat(c.isClosed()).isTrue()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> pools.driver.openConnections() == pool.stats().total());
    }

    private static void borrowUseAndReturn(PoolDataSource pool, Queue<String> violations) throws SQLException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Connection c = pool.getConnection();
        StubConnection physical = c.unwrap(StubConnection.class);
        Object me = new Object();
        if (!physical.claim(me)) {
            violations.add("connection " + physical.id() + " lent while held by " + physical.owner());
        }
        switch (random.nextInt(4)) {
            case 0 -> {
                try (ResultSet rs = c.prepareStatement("select 1").executeQuery()) {
                    rs.next();
                }
            }
            case 1 -> c.createStatement(); // forgotten: the pool closes it
            case 2 -> {
                c.setAutoCommit(false);
                c.createStatement().executeUpdate("update t set x = 1");
            }
            default -> { }
        }
        if (!physical.release(me)) {
            violations.add("connection " + physical.id() + " was taken from its borrower");
        }
        c.close();
        if (random.nextInt(8) == 0) {
            c.close(); // a second close must change nothing
        }
    }
}
