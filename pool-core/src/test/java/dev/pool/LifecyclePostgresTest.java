package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pool.test.EmbeddedPostgresExtension;
import dev.pool.test.TestClock;
import dev.pool.test.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Retirement, recovery and reclaiming against a real PostgreSQL, seen on the server: backend pids,
 * {@code pg_stat_activity}, terminated backends and a real restart of the embedded server.
 */
@Isolated
@ExtendWith(EmbeddedPostgresExtension.class)
class LifecyclePostgresTest {

    private final TestDatabase db;
    private final TestClock clock = new TestClock();
    private final List<PoolDataSource> pools = new ArrayList<>();
    private String applicationName;

    LifecyclePostgresTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void name(TestInfo test) {
        String method = test.getTestMethod().orElseThrow().getName();
        applicationName = "pool-lc-" + method.substring(0, Math.min(method.length(), 50));
    }

    @AfterEach
    void closePools() {
        pools.forEach(PoolDataSource::close);
        if (db.canRestart() && !db.isRunning()) {
            db.start();
        }
    }

    private PoolDataSource pool(Consumer<PoolConfig> settings) {
        PoolConfig config = new PoolConfig();
        config.setName("lc");
        config.setUrl(db.jdbcUrl());
        config.setUsername(db.username());
        config.setPassword(db.password());
        config.getDataSourceProperties().put("ApplicationName", applicationName);
        config.setShutdownTimeout(Duration.ofSeconds(5));
        settings.accept(config);
        PoolDataSource pool = new PoolDataSource(config, clock);
        pools.add(pool);
        return pool;
    }

    private static int backendPid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private int pidOfNextBorrow(PoolDataSource pool) throws SQLException {
        try (Connection c = pool.getConnection()) {
            return backendPid(c);
        }
    }

    @Test
    void backendChangesAfterMaxReuseCountBorrows() throws SQLException {
        PoolDataSource pool = pool(c -> c.setMaxReuseCount(3));
        int first = pidOfNextBorrow(pool);
        assertThat(pidOfNextBorrow(pool)).isEqualTo(first);
        assertThat(pidOfNextBorrow(pool)).isEqualTo(first);
        int second = pidOfNextBorrow(pool);
        assertThat(second).isNotEqualTo(first);
        await().atMost(Duration.ofSeconds(10)).until(() -> db.backendCount(applicationName) == 1);
    }

    @Test
    void quiescedPoolLeavesNoBackendAndResumeServesAgain() throws Exception {
        PoolDataSource pool = pool(c -> {
            c.setInitialSize(2);
            c.setMinIdle(2);
        });
        Connection held = pool.getConnection();
        await().atMost(Duration.ofSeconds(10)).until(() -> db.backendCount(applicationName) >= 2);
        CompletableFuture<Boolean> quiesced = CompletableFuture.supplyAsync(() -> pool.quiesce(Duration.ofSeconds(30)));
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.state() == PoolState.SUSPENDED && pool.stats().idle() == 0);
        assertThat(backendPid(held)).isPositive(); // the borrower works on while the pool waits for it
        held.close();

        assertThat(quiesced.get(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> db.backendCount(applicationName) == 0);
        long created = pool.stats().created();
        pool.runHousekeeping(); // the pass that would refill min-idle
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10))
                .until(() -> db.backendCount(applicationName) == 0 && pool.stats().created() == created);

        pool.resume();

        assertThat(pidOfNextBorrow(pool)).isPositive();
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().idle() >= 2
                && db.backendCount(applicationName) == pool.stats().total());
    }

    @Test
    void backendChangesAfterMaxReuseTime() throws SQLException {
        PoolDataSource pool = pool(c -> c.setMaxReuseTime(Duration.ofMinutes(30)));
        int first = pidOfNextBorrow(pool);
        clock.advance(Duration.ofMinutes(31));
        pool.runHousekeeping();
        assertThat(pidOfNextBorrow(pool)).isNotEqualTo(first);
        assertThat(pool.stats().evictions()).containsEntry(EvictionReason.REUSE_TIME, 1L);
    }

    @Test
    void idleBackendsAreClosedAfterMaxIdleTime() throws SQLException {
        PoolDataSource pool = pool(c -> {
            c.setInitialSize(4);
            c.setMaxIdleTime(Duration.ofMinutes(10));
        });
        assertThat(db.backendCount(applicationName)).isEqualTo(4);
        clock.advance(Duration.ofMinutes(11));
        pool.runHousekeeping();
        await().atMost(Duration.ofSeconds(10)).until(() -> db.backendCount(applicationName) == 0);
        assertThat(pool.stats().evictions()).containsEntry(EvictionReason.IDLE_TIME, 4L);
    }

    @Test
    void abandonedConnectionIsRolledBackAndItsBackendClosed() throws SQLException {
        PoolDataSource pool = pool(c -> c.setAbandonedConnectionTimeout(Duration.ofMinutes(1)));
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table if not exists abandoned_check (id int)");
            s.execute("truncate abandoned_check");
        }
        Connection forgotten = pool.getConnection();
        forgotten.setAutoCommit(false);
        forgotten.createStatement().executeUpdate("insert into abandoned_check values (1)");
        pool.runHousekeeping();
        clock.advance(Duration.ofMinutes(2));
        pool.runHousekeeping();

        await().atMost(Duration.ofSeconds(10)).until(() -> db.backendCount(applicationName) == 0);
        assertThatThrownBy(forgotten::commit).hasMessageContaining("abandoned");
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from abandoned_check")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void terminatedBackendsAreReplacedByKeepalive() throws SQLException {
        PoolDataSource pool = pool(c -> {
            c.setInitialSize(3);
            c.setKeepaliveInterval(Duration.ofSeconds(30));
        });
        Set<Integer> before = new HashSet<>(pids(pool, 3));
        terminateBackends();
        await().atMost(Duration.ofSeconds(10)).until(() -> db.backendCount(applicationName) == 0);

        clock.advance(Duration.ofSeconds(31));
        pool.runHousekeeping();

        await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().evictions().get(EvictionReason.BROKEN) == 3L);
        try (Connection c = pool.getConnection()) {
            assertThat(backendPid(c)).isNotIn(before);
        }
    }

    @Test
    void terminatedBackendsAreNeverLentTwice() throws SQLException {
        PoolDataSource pool = pool(c -> c.setInitialSize(3));
        Set<Integer> before = new HashSet<>(pids(pool, 3));
        terminateBackends();
        await().atMost(Duration.ofSeconds(10)).until(() -> db.backendCount(applicationName) == 0);

        // within validation-interval a killed connection may be lent once: its borrower sees 57P01 and the pool drops it
        int failures = 0;
        for (int i = 0; i < 10; i++) {
            try (Connection c = pool.getConnection()) {
                assertThat(backendPid(c)).isNotIn(before);
            } catch (SQLException e) {
                assertThat(e.getSQLState()).matches("08.*|57P0[1-3]");
                failures++;
            }
        }
        assertThat(failures).isLessThanOrEqualTo(3);
        assertThat(pool.stats().evictions().get(EvictionReason.BROKEN)).isEqualTo((long) failures);
    }

    private List<Integer> pids(PoolDataSource pool, int n) throws SQLException {
        List<Connection> held = new ArrayList<>();
        List<Integer> pids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Connection c = pool.getConnection();
            held.add(c);
            pids.add(backendPid(c));
        }
        for (Connection c : held) {
            c.close();
        }
        return pids;
    }

    private void terminateBackends() throws SQLException {
        try (Connection admin = db.unpooledDataSource().getConnection();
             Statement s = admin.createStatement();
             ResultSet rs = s.executeQuery("select count(pg_terminate_backend(pid)) from pg_stat_activity where application_name = '"
                     + applicationName + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).isPositive();
        }
    }

    @Test
    void poolStartedWhileTheDatabaseIsDownServesOnceItIsUp() throws SQLException {
        org.junit.jupiter.api.Assumptions.assumeTrue(db.canRestart(), "needs the embedded server");
        db.stop();
        PoolDataSource pool = pool(c -> {
            c.setInitialSize(2);
            c.setInitializationFailFast(false);
            c.setConnectionWaitTimeout(Duration.ofMillis(300));
        });
        assertThatThrownBy(pool::getConnection).isInstanceOf(SQLTransientConnectionException.class)
                .cause().isInstanceOf(SQLException.class);

        db.start();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> pidOfNextBorrow(pool) > 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().total() == 2);
    }

    @Test
    void poolStartedWhileTheDatabaseIsDownFailsFastWithTheCause() {
        org.junit.jupiter.api.Assumptions.assumeTrue(db.canRestart(), "needs the embedded server");
        db.stop();
        assertThatThrownBy(() -> pool(c -> c.setInitialSize(1)))
                .isInstanceOf(PoolInitializationException.class)
                .hasCauseInstanceOf(SQLException.class);
    }

    @Test
    void poolServesAgainAfterTheDatabaseRestartsUnderLoad() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(db.canRestart(), "needs the embedded server");
        PoolDataSource pool = pool(c -> {
            c.setMaxSize(5);
            c.setConnectionWaitTimeout(Duration.ofMillis(500));
        });
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong successes = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        Queue<String> unexpected = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(8);
        for (int t = 0; t < 8; t++) {
            Thread worker = new Thread(() -> {
                try {
                    while (running.get()) {
                        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                             ResultSet rs = s.executeQuery("select 1")) {
                            rs.next();
                            successes.incrementAndGet();
                        } catch (SQLException e) {
                            failures.incrementAndGet();
                            if (e.getSQLState() != null && !e.getSQLState().matches("08.*|57P0[1-3]")) {
                                unexpected.add(e.getSQLState() + " " + e.getMessage());
                            }
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
            worker.setDaemon(true);
            worker.start();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> successes.get() > 100);

        db.stop();
        long failuresAtStop = failures.get();
        // stay down until the callers have been failing for a while
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.stats().timeouts() >= 16 && failures.get() - failuresAtStop > 16);
        assertThat((Object) pool.getLastConnectError()).isNotNull();
        db.start();

        long successesAtStart = successes.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> successes.get() > successesAtStart + 100);
        long failuresAfterRecovery = failures.get();
        long successesAfterRecovery = successes.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> successes.get() > successesAfterRecovery + 500);
        running.set(false);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(failures.get()).as("no failures once recovered").isEqualTo(failuresAfterRecovery);
        assertThat(unexpected).isEmpty();
        assertThat(db.backendCount(applicationName)).isLessThanOrEqualTo(5);
        assertThat(pool.stats().active()).isZero();
    }
}
