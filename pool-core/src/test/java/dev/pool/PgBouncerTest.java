package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.test.EmbeddedPostgresExtension;
import dev.pool.test.InvariantChecker;
import dev.pool.test.PgBouncer;
import dev.pool.test.RequiresPrograms;
import dev.pool.test.TestClock;
import dev.pool.test.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.PGConnection;

/**
 * The pool behind PgBouncer in transaction mode, as the README recommends configuring it (driver
 * property {@code prepareThreshold=0}; everything else default): PgBouncer multiplexes the pool's
 * connections over fewer server connections, so consecutive transactions of one pooled connection
 * run on different backends. Validation and the reset on return must still work, and no borrower
 * may see another's transaction. Needs Debian's {@code pgbouncer}: without it these tests are
 * skipped, saying how to install it (CI installs it and runs them).
 */
@RequiresPrograms(names = "pgbouncer", install = PgBouncer.INSTALL)
@ExtendWith(EmbeddedPostgresExtension.class)
class PgBouncerTest {

    /** Server connections PgBouncer opens: fewer than the pool's, so it multiplexes. */
    private static final int SERVER_CONNECTIONS = 2;
    private static final int MAX_SIZE = 8;
    private static final String APPLICATION_NAME = "pool-pgbouncer";

    private static PgBouncer bouncer;
    private static TestDatabase db;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeAll
    static void startPgBouncer(TestDatabase database) throws SQLException {
        db = database;
        bouncer = PgBouncer.start(database, SERVER_CONNECTIONS);
        try (Connection c = database.unpooledDataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("create table if not exists bouncer_rows (id serial primary key, outcome text)");
        }
    }

    @AfterAll
    static void stopPgBouncer() {
        if (bouncer != null) {
            bouncer.close();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    private PoolDataSource pool(Consumer<PoolConfig> settings, TestClock clock) {
        PoolConfig config = new PoolConfig();
        config.setName("bouncer");
        config.setUrl(bouncer.jdbcUrl(APPLICATION_NAME));
        config.setUsername(db.username());
        config.setPassword(db.password());
        config.setMaxSize(MAX_SIZE);
        // PgBouncer before 1.21 does not keep a client's server-side prepared statements across transactions
        config.getDataSourceProperties().put("prepareThreshold", "0");
        settings.accept(config);
        PoolDataSource pool = clock == null ? new PoolDataSource(config) : new PoolDataSource(config, clock);
        cleanup.add(0, pool);
        return pool;
    }

    @Test
    void everyBorrowerStartsOutsideAnyTransactionWhileConnectionsAreMultiplexed() throws Exception {
        try (Connection c = db.unpooledDataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("truncate bouncer_rows");
        }
        PoolDataSource pool = pool(c -> { }, null);
        InvariantChecker checker = new InvariantChecker(pool, MAX_SIZE, PGConnection.class).start();
        cleanup.add(0, checker);
        int threads = 16;
        int operations = 150;
        AtomicLong committed = new AtomicLong();
        AtomicLong leftOpen = new AtomicLong();
        Queue<String> unexpected = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            Random random = new Random(t);
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < operations; i++) {
                        Connection c = checker.borrow();
                        try {
                            if (!c.getAutoCommit()) {
                                unexpected.add("lent with auto-commit off");
                            }
                            if (inTransaction(c)) {
                                unexpected.add("lent inside another borrower's transaction");
                            }
                            switch (random.nextInt(3)) {
                                case 0 -> {
                                    c.setAutoCommit(false);
                                    insert(c, "committed");
                                    c.commit();
                                    committed.incrementAndGet();
                                }
                                case 1 -> { // left open: the pool rolls it back on return
                                    c.setAutoCommit(false);
                                    insert(c, "rolled back");
                                    leftOpen.incrementAndGet();
                                }
                                default -> {
                                    try (PreparedStatement s = c.prepareStatement("select ?::int")) {
                                        for (int k = 0; k < 8; k++) { // past the driver's default prepareThreshold of 5
                                            s.setInt(1, k);
                                            try (ResultSet rs = s.executeQuery()) {
                                                rs.next();
                                            }
                                        }
                                    }
                                }
                            }
                        } finally {
                            checker.giveBack(c);
                        }
                    }
                } catch (SQLException | RuntimeException e) {
                    unexpected.add(e.toString());
                } finally {
                    done.countDown();
                }
            }, "bouncer-" + t);
            thread.setDaemon(true);
            thread.start();
        }
        assertThat(done.await(60, TimeUnit.SECONDS)).as("borrowers finished").isTrue();

        assertThat(unexpected).as("PgBouncer output:\n%s", String.join("\n", bouncer.output())).isEmpty();
        try (Connection c = db.unpooledDataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) filter (where outcome = 'committed'), "
                        + "count(*) filter (where outcome = 'rolled back') from bouncer_rows")) {
            rs.next();
            assertThat(rs.getLong(1)).as("committed rows").isEqualTo(committed.get());
            assertThat(rs.getLong(2)).as("rows of transactions left open (%d), rolled back by the pool", leftOpen.get()).isZero();
        }
        assertThat(pool.stats().evictions().get(EvictionReason.BROKEN)).as("connections the pool found broken").isZero();
        System.out.println("behind PgBouncer (" + SERVER_CONNECTIONS + " server connections): " + pool.stats().borrowed()
                + " borrows, " + committed + " committed, " + leftOpen + " left open and rolled back, " + checker);
        checker.assertNoViolations();
        checker.assertQuiescent(Duration.ofSeconds(10));
    }

    /** Validation before lending works through PgBouncer, with {@code Connection.isValid} and with a query. */
    @ParameterizedTest(name = "validation-query {0}")
    @ValueSource(strings = {"", "select 1"})
    void connectionsIdlePastTheValidationIntervalAreValidatedAndKept(String validationQuery) throws SQLException {
        TestClock clock = new TestClock();
        PoolDataSource pool = pool(c -> c.setValidationQuery(validationQuery), clock);
        Object physical;
        try (Connection c = pool.getConnection()) {
            physical = c.unwrap(PGConnection.class);
            c.setAutoCommit(false);
            insertAndRollBack(c);
        }
        for (int i = 0; i < 3; i++) {
            clock.advance(pool.getConfig().getValidationInterval().plusSeconds(1));
            pool.runHousekeeping();
            try (Connection c = pool.getConnection()) {
                assertThat(c.unwrap(PGConnection.class)).as("validated and lent again, not replaced").isSameAs(physical);
                assertThat(inTransaction(c)).isFalse();
            }
        }
        assertThat(pool.stats().created()).isEqualTo(1);
        assertThat(pool.stats().evictions().get(EvictionReason.BROKEN)).isZero();
    }

    private static void insertAndRollBack(Connection c) throws SQLException {
        insert(c, "rolled back");
    }

    private static void insert(Connection c, String outcome) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into bouncer_rows (outcome) values (?)")) {
            s.setString(1, outcome);
            s.executeUpdate();
        }
    }

    /** Asks the server (through PgBouncer): has this session a transaction with a write in it open? */
    private static boolean inTransaction(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select txid_current_if_assigned() is not null")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
