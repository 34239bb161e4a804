package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pool.Writers.Round;
import dev.pool.test.EmbeddedPostgresExtension;
import dev.pool.test.FaultProxy;
import dev.pool.test.InvariantChecker;
import dev.pool.test.PrimaryAndStandby;
import dev.pool.test.StubConnection;
import dev.pool.test.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;

/**
 * The primary-role guard (SPEC "High availability"): a pool whose connections reach a standby closes
 * them once a write says so (SQLState 25006, then {@code pg_is_in_recovery()}), lends no connection to
 * a standby after that, and a read-only transaction on a primary changes nothing. The switchovers run
 * on a real primary and streaming standby ({@link PrimaryAndStandby}) behind a {@link FaultProxy}
 * that moves, as a DNS name or a virtual IP does, with writers running through the pool the whole
 * time and an {@link InvariantChecker} beside them. Waits are bounded; the times measured are
 * printed, never asserted.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class PrimaryRoleGuardTest {

    /** Generous: the measured times go to the output, not into assertions. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int WRITERS = 3;
    private static final String ASKED = "select pg_is_in_recovery()";

    @RegisterExtension
    final StubPools stubPools = new StubPools();

    private PrimaryAndStandby servers;
    private FaultProxy proxy;
    private PoolDataSource pool;
    private Writers writers;
    private InvariantChecker checker;

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (writers != null) {
            writers.close();
        }
        if (checker != null) {
            checker.close();
        }
        if (pool != null) {
            pool.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (servers != null) {
            servers.close();
        }
    }

    // ---- a read-only transaction on a primary

    @Test
    void readOnlyTransactionOnThePrimaryEvictsNothing(TestDatabase db) throws SQLException {
        String applicationName = "guard-read-only-tx";
        pool = new PoolDataSource(config(db.jdbcUrl(applicationName), db, 3));
        Set<Integer> before = backends(3);

        Timestamp first = serverTime(db);
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("create table if not exists guard_read_only (id int)"); // not temporary: those take writes
            statement.execute("set session characteristics as transaction read only");
            assertThatThrownBy(() -> statement.execute("insert into guard_read_only values (1)"))
                    .isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25006");
            statement.execute("set session characteristics as transaction read write");
        }
        await().atMost(PATIENCE).until(() -> guardAskedSince(db, applicationName, first));

        Timestamp second = serverTime(db);
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("set transaction read only");
                assertThatThrownBy(() -> statement.execute("create table guard_never (id int)"))
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25006");
            } // returned with the transaction aborted: the pool rolls back before the guard asks
        }
        await().atMost(PATIENCE).until(() -> guardAskedSince(db, applicationName, second));

        // the guard asked each time, and put the connection back: the same three backends, nothing closed or opened
        assertThat(backends(3)).isEqualTo(before);
        assertThat(pool.stats().evictions()).allSatisfy((reason, count) -> assertThat(count).as(reason.tag()).isZero());
        assertThat(pool.stats().created()).isEqualTo(3);
    }

    // ---- a standby

    @Test
    void oneReadOnlyFailureClosesEveryIdleConnectionToTheStandbyAndTheBorrowedOnesWhenReturned() throws SQLException {
        servers = PrimaryAndStandby.start();
        PrimaryAndStandby.execute(servers.primary(), "create table guard_sweep (id int)");
        servers.awaitReplayed();
        PoolConfig config = config(servers.standby().jdbcUrl("guard-sweep"), servers.standby(), 4);
        config.setMinIdle(0); // nothing reopened behind the guard's back: every close shows in the counts
        pool = new PoolDataSource(config);

        try (Connection reader = pool.getConnection()) {
            try (Statement read = reader.createStatement()) {
                read.executeQuery("select count(*) from guard_sweep").close(); // a standby serves reads
            }
            try (Connection writer = pool.getConnection(); Statement write = writer.createStatement()) {
                assertThatThrownBy(() -> write.execute("insert into guard_sweep values (1)"))
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25006");
            }
            // the writer's connection and the two idle ones, never lent: closed; the reader's is still out
            await().atMost(PATIENCE).until(() -> pool.stats().evictions().get(EvictionReason.READ_ONLY) == 3);
            assertThat(pool.stats().total()).isEqualTo(1);
        }
        await().atMost(PATIENCE).until(() -> pool.stats().evictions().get(EvictionReason.READ_ONLY) == 4);
        assertThat(pool.stats().total()).isZero();
        await().atMost(PATIENCE).until(() -> servers.standby().backendCount("guard-sweep") == 0);
    }

    /**
     * Once a standby is found, a new connection is asked before it is lent: while the URL still leads
     * to the standby, borrowers wait (and the pool retries with its connect backoff) instead of getting
     * a connection whose first write fails; once the server is a primary, lending resumes.
     */
    @Test
    void afterAStandbyIsFoundNewConnectionsAreCheckedBeforeTheyAreLent() throws SQLException {
        servers = PrimaryAndStandby.start();
        PrimaryAndStandby.execute(servers.primary(), "create table guard_new (id int)");
        servers.awaitReplayed();
        PoolConfig config = config(servers.standby().jdbcUrl("guard-new"), servers.standby(), 2);
        config.setMinIdle(0);
        config.setInitialSize(1);
        config.setConnectionWaitTimeout(Duration.ofMillis(500)); // no connection can come: the server is a standby
        pool = new PoolDataSource(config);

        try (Connection writer = pool.getConnection(); Statement write = writer.createStatement()) {
            assertThatThrownBy(() -> write.execute("insert into guard_new values (1)"))
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25006");
        }
        await().atMost(PATIENCE).until(() -> pool.stats().evictions().get(EvictionReason.READ_ONLY) == 1);

        for (int i = 0; i < 3; i++) { // whatever the machine's speed: no connection, as every one reaches the standby
            assertThatThrownBy(() -> pool.getConnection().close()).isInstanceOf(SQLTransientConnectionException.class);
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThatThrownBy(() -> pool.getConnection().close())
                .isInstanceOf(SQLTransientConnectionException.class)
                .hasMessageContaining("reached a standby")
                .cause().extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25006"));
        assertThat(pool.stats().created()).as("connections lent or kept: only the first").isEqualTo(1);

        servers.promoteStandby();
        await().atMost(PATIENCE).ignoreExceptions().until(() -> {
            try (Connection writer = pool.getConnection(); Statement write = writer.createStatement()) {
                write.execute("insert into guard_new values (2)");
                return !inRecovery(writer);
            }
        });
    }

    // ---- switchovers behind a name that moves

    @Test
    void switchoverAndPromotionThroughAMovingName() throws Exception {
        startBehindProxy("guard-promotion");
        long found = switchToStandby();

        long promotionStart = System.nanoTime();
        servers.primary().stop(); // the old primary is fenced, as a failover does
        servers.promoteStandby();
        long writable = System.nanoTime();
        await().atMost(PATIENCE).until(() -> writers.leastSuccessesSince(writable) >= 20);
        writers.close();

        List<Round> rounds = writers.rounds();
        assertThat(rounds(rounds, r -> r.start() - writable >= 0 && !r.ok()))
                .as("every write that began once the promoted server was writable succeeded").isEmpty();
        assertThat(pool.stats().evictions().get(EvictionReason.READ_ONLY)).isPositive();
        assertNeverLentAfterReadOnlyFailure(rounds, r -> r.start() - promotionStart < 0);
        assertNothingLentToAStandbySince(rounds, found);
        report("promotion", rounds, writable);
        assertInvariants();
    }

    @Test
    void switchoverBackToThePrimaryClosesEveryConnectionToTheStandby() throws Exception {
        startBehindProxy("guard-switch-back");
        long found = switchToStandby();

        long movedBack = System.nanoTime();
        proxy.pointAt(servers.primary()); // the name moves back; connections open to the standby stay open
        await().atMost(PATIENCE).until(() -> proxy.openConnectionsTo(servers.standby()) == 0);
        await().atMost(PATIENCE).until(() -> writers.leastSuccessesSince(movedBack) >= 20);
        writers.close();

        List<Round> rounds = writers.rounds();
        assertThat(rounds(rounds, r -> r.start() - movedBack >= 0 && !r.ok()))
                .as("every write that began after the name moved back succeeded").isEmpty();
        assertThat(pool.stats().evictions().get(EvictionReason.READ_ONLY)).isPositive();
        assertNeverLentAfterReadOnlyFailure(rounds, r -> true); // the standby stays a standby: every check says so
        assertNothingLentToAStandbySince(rounds, found);
        report("switch back", rounds, movedBack);
        assertInvariants();
    }

    @Test
    void multiHostUrlWithTargetServerTypePrimaryRidesThroughAPromotion() throws Exception {
        servers = PrimaryAndStandby.start();
        createTable();
        String url = "jdbc:postgresql://localhost:" + port(servers.primary()) + ",localhost:" + port(servers.standby())
                + "/postgres?targetServerType=primary&hostRecheckSeconds=1&ApplicationName=guard-multi-host";
        pool = new PoolDataSource(config(url, servers.primary(), 4));
        writers = startWriters();
        await().atMost(PATIENCE).until(() -> writers.leastSuccesses() >= 20);
        assertThat(writers.rounds(Round::ok)).extracting(Round::port).containsOnly(port(servers.primary()));

        servers.primary().stop();
        servers.promoteStandby();
        long writable = System.nanoTime();
        await().atMost(PATIENCE).until(() -> writers.leastSuccessesSince(writable) >= 20);
        writers.close();

        List<Round> rounds = writers.rounds();
        List<Round> after = rounds(rounds, r -> r.start() - writable >= 0);
        assertThat(rounds(after, r -> !r.ok())).as("every write that began after the promotion succeeded").isEmpty();
        assertThat(after).extracting(Round::port).containsOnly(port(servers.standby()));
        assertThat(after).noneMatch(Round::inRecovery);
        report("multi-host", rounds, writable);
        assertInvariants();
    }

    // ---- other databases, and the guard turned off

    @Test
    void doesNothingOnADatabaseOtherThanPostgres() throws SQLException {
        PoolDataSource stubPool = stubPools.create(c -> c.setMaxSize(1));
        try (Connection connection = stubPool.getConnection()) {
            StubConnection physical = stubPools.driver.connection(0);
            physical.failNextExecute("25006");
            assertThatThrownBy(() -> connection.createStatement().execute("insert into t values (1)"))
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25006");
        }

        assertThat(stubPool.stats().idle()).isEqualTo(1);
        assertThat(stubPools.driver.connection(0).executedSql()).noneMatch(sql -> sql.contains("pg_is_in_recovery"));
        assertThat(stubPool.stats().evictions()).allSatisfy((reason, count) -> assertThat(count).isZero());
        try (Connection again = stubPool.getConnection()) {
            assertThat(again.unwrap(StubConnection.class)).isSameAs(stubPools.driver.connection(0));
        }
    }

    @Test
    void turnedOffItLeavesConnectionsToAStandbyAlone() throws SQLException {
        servers = PrimaryAndStandby.start();
        PrimaryAndStandby.execute(servers.primary(), "create table guard_off (id int)");
        servers.awaitReplayed();
        PoolConfig config = config(servers.standby().jdbcUrl("guard-off"), servers.standby(), 2);
        config.setPrimaryRoleGuard(false); // a pool meant for a replica
        pool = new PoolDataSource(config);
        Set<Integer> before = backends(2);

        try (Connection writer = pool.getConnection(); Statement write = writer.createStatement()) {
            assertThatThrownBy(() -> write.execute("insert into guard_off values (1)"))
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25006");
        }

        assertThat(backends(2)).isEqualTo(before);
        assertThat(pool.stats().evictions()).allSatisfy((reason, count) -> assertThat(count).as(reason.tag()).isZero());
    }

    // ---- the scenario's steps

    /** Primary and standby, a proxy in front of the primary, a pool through it, writers running and writing. */
    private void startBehindProxy(String applicationName) {
        servers = PrimaryAndStandby.start();
        createTable();
        proxy = FaultProxy.inFrontOf(servers.primary());
        pool = new PoolDataSource(config(proxy.jdbcUrl(servers.primary(), applicationName), servers.primary(), 4));
        writers = startWriters();
        await().atMost(PATIENCE).until(() -> writers.leastSuccesses() >= 20);
    }

    private Writers startWriters() {
        checker = new InvariantChecker(pool, pool.stats().maxSize(), PGConnection.class).start();
        return new Writers(pool, checker, "guard_writes", WRITERS);
    }

    /** Nothing lent twice, the counts add up, every connection opened was closed for a counted reason, and close() is clean. */
    private void assertInvariants() {
        checker.assertNoViolations();
        checker.assertQuiescent(PATIENCE);
        pool.close();
        checker.assertClosedCleanly(PATIENCE);
    }

    private void createTable() {
        PrimaryAndStandby.execute(servers.primary(), "create table guard_writes (id bigserial primary key, writer int)");
        servers.awaitReplayed();
    }

    /**
     * The name moves to the standby and the old sessions are reset (a VIP move): the pool's
     * connections break and its new ones reach the standby, where writes fail with 25006 until the
     * guard finds out. Returns (System.nanoTime) once the test has seen the first read-only eviction:
     * the guard has looked at every connection by then (it counts that eviction after its sweep).
     */
    private long switchToStandby() {
        proxy.pointAt(servers.standby());
        proxy.cutAll();
        await().atMost(PATIENCE).until(() -> pool.stats().evictions().get(EvictionReason.READ_ONLY) >= 1);
        long found = System.nanoTime();
        await().atMost(PATIENCE).until(() -> !writers.rounds(r -> r.readOnly() && r.inRecovery()).isEmpty());
        return found;
    }

    private PoolConfig config(String url, TestDatabase server, int size) {
        PoolConfig config = new PoolConfig();
        config.setName("guard");
        config.setUrl(url);
        config.setUsername(server.username());
        config.setPassword(server.password());
        config.setMaxSize(size);
        config.setMinIdle(size);
        config.setInitialSize(size);
        config.setConnectionWaitTimeout(PATIENCE); // writers wait out the standby: a timeout would only say the machine was slow
        return config;
    }

    // ---- checks

    /**
     * No connection that failed a write with 25006 on a standby is lent again: the guard asked it,
     * the standby said so, and it was closed. Only rounds matching {@code window} are judged (a
     * connection whose check comes after a promotion is rightly kept).
     */
    private static void assertNeverLentAfterReadOnlyFailure(List<Round> rounds, Predicate<Round> window) {
        List<Round> failures = rounds(rounds, r -> r.readOnly() && r.inRecovery() && window.test(r));
        assertThat(failures).isNotEmpty();
        for (Round failure : failures) {
            assertThat(rounds(rounds, r -> failure.connection().equals(r.connection()) && r.start() - failure.end() > 0
                    && window.test(r)))
                    .as("rounds on %s after its write failed with 25006", failure.connection()).isEmpty();
        }
    }

    /** Every connection lent after the guard found the standby answered pg_is_in_recovery() = false. */
    private static void assertNothingLentToAStandbySince(List<Round> rounds, long found) {
        assertThat(rounds(rounds, r -> r.start() - found > 0 && r.port() != 0 && r.inRecovery()))
                .as("rounds on a standby that began after the guard found it").isEmpty();
    }

    private static List<Round> rounds(List<Round> rounds, Predicate<Round> filter) {
        return rounds.stream().filter(filter).collect(Collectors.toList());
    }

    /** Prints what the scenario measured: how long writes failed after the server was writable again. */
    private void report(String scenario, List<Round> rounds, long writable) {
        long lastFailure = rounds.stream().filter(r -> !r.ok()).mapToLong(Round::end).max().orElse(writable);
        Map<Integer, Long> firstSuccess = rounds.stream().filter(r -> r.ok() && r.start() - writable >= 0)
                .collect(Collectors.toMap(Round::writer, Round::end, Math::min));
        long allServed = firstSuccess.values().stream().mapToLong(t -> t).max().orElse(writable);
        System.out.printf("[guard] %s: last failed write %d ms after the server was writable, every writer served after %d ms; "
                        + "%d rounds, %d failed (%d with 25006); evictions %s%n",
                scenario, ms(lastFailure - writable), ms(allServed - writable), rounds.size(),
                rounds.stream().filter(r -> !r.ok()).count(), rounds.stream().filter(Round::readOnly).count(),
                pool.stats().evictions());
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(Math.max(0, nanos));
    }

    private Set<Integer> backends(int count) throws SQLException {
        Set<Integer> pids = new HashSet<>();
        Connection[] held = new Connection[count];
        try {
            for (int i = 0; i < count; i++) {
                held[i] = pool.getConnection();
                try (ResultSet result = held[i].createStatement().executeQuery("select pg_backend_pid()")) {
                    result.next();
                    pids.add(result.getInt(1));
                }
            }
        } finally {
            for (Connection connection : held) {
                if (connection != null) {
                    connection.close();
                }
            }
        }
        return pids;
    }

    private static boolean inRecovery(Connection connection) throws SQLException {
        try (ResultSet result = connection.createStatement().executeQuery("select pg_is_in_recovery()")) {
            result.next();
            return result.getBoolean(1);
        }
    }

    private static Timestamp serverTime(TestDatabase db) throws SQLException {
        try (Connection admin = db.unpooledDataSource(TestDatabase.ADMIN_APPLICATION_NAME).getConnection();
                ResultSet result = admin.createStatement().executeQuery("select clock_timestamp()")) {
            result.next();
            return result.getTimestamp(1);
        }
    }

    /** A backend of the pool's ran the guard's question since {@code since}, and it is the last thing it ran. */
    private static boolean guardAskedSince(TestDatabase db, String applicationName, Timestamp since) throws SQLException {
        try (Connection admin = db.unpooledDataSource(TestDatabase.ADMIN_APPLICATION_NAME).getConnection();
                PreparedStatement statement = admin.prepareStatement("select count(*) from pg_stat_activity "
                        + "where application_name = ? and query = ? and query_start >= ?")) {
            statement.setString(1, applicationName);
            statement.setString(2, ASKED);
            statement.setTimestamp(3, since);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getInt(1) > 0;
            }
        }
    }

    private static int port(TestDatabase server) {
        return java.net.URI.create(server.jdbcUrl().substring("jdbc:".length())).getPort();
    }
}
