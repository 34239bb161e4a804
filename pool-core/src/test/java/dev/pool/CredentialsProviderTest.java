package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pool.test.EmbeddedPostgresExtension;
import dev.pool.test.LogCapture;
import dev.pool.test.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Credentials that rotate, on a real PostgreSQL that asks for the password: a role of its own that
 * must authenticate with SCRAM ({@link TestDatabase#createPasswordRole}), its password changed with
 * {@code ALTER ROLE} while the pool runs.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class CredentialsProviderTest {

    static final String ROLE = "pool_rotating";

    private final TestDatabase db;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    CredentialsProviderTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void passwordRole() {
        Assumptions.assumeTrue(db.canRestart(), "edits the embedded server's pg_hba.conf");
        db.createPasswordRole(ROLE, newPassword());
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    static String newPassword() {
        return "pw-" + UUID.randomUUID();
    }

    private PoolDataSource pool(Consumer<PoolConfig> settings) {
        PoolConfig config = new PoolConfig();
        config.setName("credentials");
        config.setUrl(db.jdbcUrl());
        settings.accept(config);
        PoolDataSource pool = new PoolDataSource(config);
        cleanup.add(pool);
        return pool;
    }

    private Connection held(Connection connection) {
        cleanup.add(connection);
        return connection;
    }

    static String currentUser(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static int backendPid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void connectionsOpenedAfterARotationUseTheNewPasswordAndOpenOnesStayOpen() throws Exception {
        String first = newPassword();
        db.setPassword(ROLE, first);
        RotatingCredentials credentials = new RotatingCredentials(ROLE, first);
        // a static password that would fail: the provider's must be the one used
        PoolDataSource pool = pool(c -> {
            c.setUsername("nobody");
            c.setPassword("not-the-password");
            c.setCredentialsProvider(credentials);
        });

        List<Connection> open = new ArrayList<>();
        List<Integer> pids = new ArrayList<>();
        open.add(held(pool.getConnection()));
        pids.add(backendPid(open.get(0)));
        String previous = first;
        for (int rotation = 0; rotation < 3; rotation++) {
            String next = newPassword();
            db.setPassword(ROLE, next);
            String old = previous;
            assertThatThrownBy(() -> db.connectAs(ROLE, old).close())
                    .as("the server refuses the old password: it really checks it")
                    .isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("28P01");
            credentials.password = next;

            Connection fresh = held(pool.getConnection()); // every open one is borrowed: this one is new
            assertThat(currentUser(fresh)).isEqualTo(ROLE);
            assertThat(pids).doesNotContain(backendPid(fresh));
            open.add(fresh);
            pids.add(backendPid(fresh));
            previous = next;
        }

        for (int i = 0; i < open.size(); i++) {
            assertThat(backendPid(open.get(i))).as("connection %d is the one it was", i).isEqualTo(pids.get(i));
        }
        PoolStats stats = pool.stats();
        assertThat(stats.total()).isEqualTo(4);
        assertThat(stats.created()).isEqualTo(4);
        assertThat(stats.evictions().values()).allMatch(n -> n == 0);
        assertThat(credentials.asked.get()).as("asked before every physical connect").isEqualTo(4);

        for (Connection c : open) {
            c.close();
        }
        Set<Integer> reborrowed = new HashSet<>();
        List<Connection> again = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Connection c = held(pool.getConnection());
            again.add(c);
            reborrowed.add(backendPid(c));
        }
        assertThat(reborrowed).as("returned connections are lent again, whichever password opened them")
                .containsExactlyInAnyOrderElementsOf(pids);
        assertThat(credentials.asked.get()).isEqualTo(4);
    }

    @Test
    void withoutAProviderThePoolsPasswordIsUsed() throws Exception {
        String password = newPassword();
        db.setPassword(ROLE, password);
        PoolDataSource pool = pool(c -> {
            c.setUsername(ROLE);
            c.setPassword(password);
        });

        try (Connection c = pool.getConnection()) {
            assertThat(currentUser(c)).isEqualTo(ROLE);
        }
    }

    @Test
    void aProviderWithoutAUserNameConnectsAsThePoolsUser() throws Exception {
        String password = newPassword();
        db.setPassword(ROLE, password);
        PoolDataSource pool = pool(c -> {
            c.setUsername(ROLE);
            c.setCredentialsProvider(() -> new Credentials(null, password));
        });

        try (Connection c = pool.getConnection()) {
            assertThat(currentUser(c)).isEqualTo(ROLE);
        }
    }

    @Test
    void withADataSourceThePoolAsksItForTheProvidersUserAndPassword() throws Exception {
        String first = newPassword();
        db.setPassword(ROLE, first);
        PGSimpleDataSource unpooled = new PGSimpleDataSource();
        unpooled.setURL(db.jdbcUrl());
        unpooled.setUser("nobody"); // its own user is not the one the pool connects as
        RotatingCredentials credentials = new RotatingCredentials(ROLE, first);
        PoolDataSource pool = pool(c -> {
            c.setUrl(null);
            c.setDataSource(unpooled);
            c.setCredentialsProvider(credentials);
        });

        int firstPid;
        try (Connection c = pool.getConnection()) {
            assertThat(currentUser(c)).isEqualTo(ROLE);
            firstPid = backendPid(c);
        }
        String second = newPassword();
        db.setPassword(ROLE, second);
        credentials.password = second;
        pool.evictIdle();
        try (Connection c = pool.getConnection()) {
            assertThat(currentUser(c)).isEqualTo(ROLE);
            assertThat(backendPid(c)).isNotEqualTo(firstPid);
        }
        assertThat(credentials.asked.get()).isEqualTo(2);
    }

    @Test
    void aFailingProviderFailsTheConnectAndIsAskedAgain() throws Exception {
        String password = newPassword();
        db.setPassword(ROLE, password);
        AtomicInteger asked = new AtomicInteger();
        PoolDataSource pool = pool(c -> {
            c.setConnectionWaitTimeout(Duration.ofSeconds(1));
            c.setCredentialsProvider(() -> {
                if (asked.incrementAndGet() == 1) {
                    throw new IllegalStateException("vault is sealed");
                }
                return new Credentials(ROLE, password);
            });
        });

        // the first connect fails, the pool retries it (a provider's failure is no reason to give up) and
        // the caller gets the second one; or, on a slow machine, times out with the failure as the cause
        try (Connection c = pool.getConnection()) {
            assertThat(currentUser(c)).isEqualTo(ROLE);
        } catch (SQLTransientConnectionException timedOut) {
            assertThat(timedOut.getCause()).hasMessageContaining("vault is sealed");
        }
        assertThat(asked.get()).isGreaterThanOrEqualTo(2);
        try (Connection c = pool.getConnection()) {
            assertThat(currentUser(c)).isEqualTo(ROLE);
        }
    }

    @Test
    void neitherThePasswordNorWhatTheProviderReturnsIsLoggedOrInAnError() throws Exception {
        String right = newPassword();
        String wrong = newPassword();
        String unused = newPassword();
        db.setPassword(ROLE, right);
        RotatingCredentials credentials = new RotatingCredentials(ROLE, wrong);
        String thrown;
        String lastError;
        String logged;
        try (LogCapture log = LogCapture.start()) {
            PoolDataSource pool = pool(c -> {
                c.setUsername(ROLE);
                c.setPassword(unused);
                c.setCredentialsProvider(credentials);
            });
            SQLException failure = catchThrowableOfType(SQLException.class, pool::getConnection);
            thrown = stackTrace(failure);
            lastError = stackTrace(pool.getLastConnectError());
            credentials.password = right;
            try (Connection c = pool.getConnection()) {
                assertThat(currentUser(c)).isEqualTo(ROLE);
            }
            pool.close();
            logged = log.text();
        }

        assertThat(thrown).contains("password authentication failed");
        assertThat(logged).as("the capture works").contains("cannot connect", "connected again");
        for (String secret : List.of(right, wrong, unused)) {
            assertThat(thrown).doesNotContain(secret);
            assertThat(lastError).doesNotContain(secret);
            assertThat(logged).doesNotContain(secret);
        }
        assertThat(new Credentials(ROLE, right)).hasToString("Credentials[username=" + ROLE + ", password=******]");
    }

    private static String stackTrace(Throwable t) {
        StringWriter text = new StringWriter();
        t.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    /** A provider whose password the test changes, counting how often it is asked. */
    static final class RotatingCredentials implements CredentialsProvider {

        final AtomicInteger asked = new AtomicInteger();
        private final String username;
        volatile String password;

        RotatingCredentials(String username, String password) {
            this.username = username;
            this.password = password;
        }

        @Override
        public Credentials credentials() {
            asked.incrementAndGet();
            return new Credentials(username, password);
        }
    }
}
