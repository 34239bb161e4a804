package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.test.EmbeddedPostgresExtension;
import dev.pool.test.InvariantChecker;
import dev.pool.test.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;

/**
 * Many threads doing random things to one pool over a real PostgreSQL, in random order: borrow and
 * use (queries, transactions committed or left open, session settings changed), borrow and forget,
 * use a forgotten handle later, kill a backend, evict idle or all, resize, suspend and resume. The
 * {@link InvariantChecker} watches throughout; every call must succeed or fail in one of the ways
 * the pool promises; every connection lent must start in the configured session state; at the end
 * every connection is accounted for and {@code close()} leaves nothing behind.
 *
 * <p>Seeded and bounded. The seed is printed at the start and in every failure; rerun it with
 * {@code -Dpool.random.seed=<seed>}, and run longer with {@code -Dpool.random.duration=PT60S}. A seed
 * replays each thread's sequence of operations, not the interleaving of threads, so a failure found
 * by a seed may take a few replays to show again.
 *
 * <p>Defaults throughout, except {@code abandoned-connection-timeout} (1 s: a forgotten connection
 * must come back for the run to go on) and {@code max-size} 8.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class RandomizedPoolTest {

    private static final int THREADS = 12;
    private static final int MAX_SIZE = 8;
    /** Forgotten connections at once: each holds its slot for a second or more. */
    private static final int MAX_FORGOTTEN = 1;
    private static final String APPLICATION_NAME = "pool-randomized";

    private final TestDatabase db;
    private final Queue<String> unexpected = new ConcurrentLinkedQueue<>();
    private final Queue<Connection> forgotten = new ConcurrentLinkedQueue<>();
    private final AtomicInteger forgottenCount = new AtomicInteger();
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private PoolDataSource pool;
    private InvariantChecker checker;

    RandomizedPoolTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void randomOperationsFromManyThreadsKeepEveryInvariant() throws Exception {
        long seed = Long.getLong("pool.random.seed", System.nanoTime());
        Duration duration = Duration.parse(System.getProperty("pool.random.duration", "PT8S"));
        System.out.println("RandomizedPoolTest: seed " + seed + " (replay with -Dpool.random.seed=" + seed + "), " + duration);
        try {
            run(seed, duration);
        } catch (Throwable failure) {
            throw new AssertionError("RandomizedPoolTest failed with seed " + seed + " (replay with -Dpool.random.seed="
                    + seed + "): " + failure.getMessage(), failure);
        }
    }

    private void run(long seed, Duration duration) throws Exception {
        try (Connection c = db.unpooledDataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("create table if not exists randomized (id serial primary key, thread int)");
            s.execute("truncate randomized");
        }
        PoolConfig config = new PoolConfig();
        config.setName("randomized");
        config.setUrl(db.jdbcUrl(APPLICATION_NAME));
        config.setUsername(db.username());
        config.setPassword(db.password());
        config.setMaxSize(MAX_SIZE);
        config.setAbandonedConnectionTimeout(Duration.ofSeconds(1));
        pool = new PoolDataSource(config);
        checker = new InvariantChecker(pool, MAX_SIZE, PGConnection.class).serverSide(db, APPLICATION_NAME).start();
        try {
            long deadline = System.nanoTime() + duration.toNanos();
            CountDownLatch done = new CountDownLatch(THREADS);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Random random = new Random(seed * 1_000_003L + t);
                int id = t;
                Thread thread = new Thread(() -> {
                    try {
                        while (System.nanoTime() - deadline < 0) {
                            step(random, id);
                        }
                    } catch (Throwable e) {
                        unexpected.add("thread " + id + " died: " + e);
                    } finally {
                        done.countDown();
                    }
                }, "randomized-" + t);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
            boolean ended = done.await(duration.toSeconds() + 60, TimeUnit.SECONDS);
            System.out.println("RandomizedPoolTest: " + counts + "; " + pool.stats() + "; " + checker);
            assertThat(ended).as("threads still running: %s", threads.stream().filter(Thread::isAlive)
                    .map(t -> t.getName() + " " + List.of(t.getStackTrace())).toList()).isTrue();
            assertThat(unexpected).as("calls that failed in a way the pool does not promise").isEmpty();

            pool.resume();
            pool.resize(0, MAX_SIZE);
            Connection left;
            while ((left = forgotten.poll()) != null) {
                checker.giveBack(left);
            }
            checker.assertNoViolations();
            checker.assertQuiescent(Duration.ofSeconds(10));
            pool.evictIdle(); // idle ones whose backend was killed are closed too: nothing may stay open on the server
            checker.assertQuiescent(Duration.ofSeconds(10));
            assertThat(db.backendCount(APPLICATION_NAME)).isZero();
            pool.close();
            checker.assertClosedCleanly(Duration.ofSeconds(10));
            assertThat(pool.stats().borrowed()).isPositive();
        } finally {
            checker.close();
            pool.close();
        }
    }

    private void step(Random random, int thread) throws SQLException {
        int roll = random.nextInt(100);
        if (roll < 55) {
            count("use");
            borrowAndUse(random, thread);
        } else if (roll < 63) {
            if (forgottenCount.get() < MAX_FORGOTTEN) {
                count("forget");
                borrowAndForget();
            }
        } else if (roll < 70) {
            count("touch-forgotten");
            touchForgotten();
        } else if (roll < 76) {
            count("kill-backend");
            killBackend();
        } else if (roll < 80) {
            count("evict-idle");
            pool.evictIdle();
        } else if (roll < 82) {
            count("evict-all");
            pool.evictAll();
        } else if (roll < 88) {
            count("resize");
            pool.resize(random.nextInt(3), 3 + random.nextInt(MAX_SIZE - 2));
        } else if (roll < 91) {
            count("suspend");
            pool.suspend();
            for (int i = random.nextInt(3); i > 0; i--) {
                killBackend(); // something slow while borrowers queue up
            }
            pool.resume();
        } else {
            count("check-stats");
            PoolStats s = pool.stats();
            if (s.active() + s.idle() != s.total()) {
                unexpected.add("snapshot does not add up: " + s);
            }
        }
    }

    private void count(String operation) {
        counts.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
    }

    private void borrowAndUse(Random random, int thread) {
        Connection c;
        try {
            c = checker.borrow();
        } catch (SQLException e) {
            expectBorrowFailure(e);
            return;
        }
        try {
            checkCleanState(c);
            switch (random.nextInt(5)) {
                case 0 -> query(c);
                case 1 -> { // a transaction committed
                    c.setAutoCommit(false);
                    insert(c, thread);
                    c.commit();
                }
                case 2 -> { // a transaction left open: the pool rolls it back
                    c.setAutoCommit(false);
                    insert(c, thread);
                }
                case 3 -> { // session settings changed: the pool restores them
                    c.setReadOnly(true);
                    c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
                    query(c);
                }
                default -> c.createStatement().executeQuery("select 1"); // statement and result left open
            }
        } catch (SQLException e) {
            expectUseFailure(e);
        } finally {
            try {
                checker.giveBack(c);
            } catch (SQLException | RuntimeException e) {
                unexpected.add("close() failed: " + e);
            }
        }
    }

    /** Every lent connection starts as configured (driver defaults here), whatever its last borrower did. */
    private void checkCleanState(Connection c) throws SQLException {
        if (!c.getAutoCommit() || c.isReadOnly() || c.getTransactionIsolation() != Connection.TRANSACTION_READ_COMMITTED) {
            unexpected.add("lent in a dirty state: autoCommit " + c.getAutoCommit() + ", readOnly " + c.isReadOnly()
                    + ", isolation " + c.getTransactionIsolation());
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select txid_current_if_assigned() is null")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                unexpected.add("lent inside another borrower's transaction");
            }
        }
    }

    private void borrowAndForget() {
        Connection c;
        try {
            c = checker.borrow();
        } catch (SQLException e) {
            expectBorrowFailure(e);
            return;
        }
        try {
            query(c);
        } catch (SQLException e) {
            expectUseFailure(e);
        }
        // published only after its borrower's last use: another thread may close it from then on
        forgottenCount.incrementAndGet();
        forgotten.add(c); // never closed by its borrower: the pool reclaims it after abandoned-connection-timeout
    }

    /** A forgotten handle used again: it still works (not reclaimed yet) or says it was reclaimed as abandoned. */
    private void touchForgotten() {
        Connection c = forgotten.poll();
        if (c == null) {
            return;
        }
        forgottenCount.decrementAndGet();
        try {
            query(c);
        } catch (SQLException e) {
            boolean reclaimed = "08003".equals(e.getSQLState()) && e.getMessage().contains("abandoned");
            if (!reclaimed) {
                expectUseFailure(e);
            }
        }
        try {
            checker.giveBack(c); // harmless if it was reclaimed
        } catch (SQLException | RuntimeException e) {
            unexpected.add("close() of a forgotten handle failed: " + e);
        }
    }

    private void killBackend() throws SQLException {
        try (Connection admin = db.unpooledDataSource().getConnection();
                PreparedStatement s = admin.prepareStatement("select pg_terminate_backend(pid) from pg_stat_activity "
                        + "where application_name = ? order by random() limit 1")) {
            s.setString(1, APPLICATION_NAME);
            s.executeQuery().close();
        }
    }

    private static void query(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select 1")) {
            rs.next();
        }
    }

    private static void insert(Connection c, int thread) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into randomized (thread) values (?)")) {
            s.setInt(1, thread);
            s.executeUpdate();
        }
    }

    /** {@code getConnection()} may time out (suspended, resized down, connections forgotten), nothing else. */
    private void expectBorrowFailure(SQLException e) {
        if (!(e instanceof SQLTransientConnectionException)) {
            unexpected.add("getConnection() failed: " + describe(e));
        }
    }

    /** A call on a lent connection may fail because its backend was killed, nothing else. */
    private void expectUseFailure(SQLException e) {
        String state = e.getSQLState();
        if (state == null || !state.matches("08006|08003|57P01")) {
            unexpected.add("a call on a lent connection failed: " + describe(e));
        } else if (e.getMessage() != null && e.getMessage().contains("pool '")) {
            unexpected.add("the pool refused a live handle: " + describe(e)); // its messages name the pool; the driver's do not
        }
    }

    private static String describe(SQLException e) {
        return e.getClass().getSimpleName() + "(" + e.getSQLState() + "): " + e.getMessage();
    }
}
