package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pool.test.EmbeddedPostgresExtension;
import dev.pool.test.InvariantChecker;
import dev.pool.test.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Every property given a value the pool cannot work with, through the public entry point
 * ({@code new PoolDataSource(config)}, {@code resize}) against a real PostgreSQL: start-up fails with
 * a message naming the property (a {@link PoolConfigException}) or, for values only the database can
 * judge (a wrong password, an unknown database, bad SQL), with the database's own error as the
 * cause; and a failed start leaves no thread behind.
 *
 * <p>Unparsable values ({@code pool.max-size=ten}, {@code pool.connect-timeout=5 parsecs}) never
 * reach {@link PoolConfig}, whose setters take typed values: Spring's binder rejects them, and the
 * auto-configuration module's tests cover that.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class BadConfigurationTest {

    /** A role that must log in with a password, for the wrong-password cases. */
    private static final String PASSWORD_ROLE = "pool_password_check";
    private static final String RIGHT_PASSWORD = "right-password";

    private static TestDatabase db;

    @BeforeAll
    static void passwordRole(TestDatabase database) {
        db = database;
        if (db.canRestart()) { // an external database is expected to check passwords already; its own user is used
            db.createPasswordRole(PASSWORD_ROLE, RIGHT_PASSWORD);
        }
    }

    private static String passwordUser() {
        return db.canRestart() ? PASSWORD_ROLE : db.username();
    }

    private static PGSimpleDataSource dataSource(String user, String password) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(db.jdbcUrl());
        ds.setUser(user);
        ds.setPassword(password);
        return ds;
    }

    /** A config that would start: the test database, defaults otherwise; a name of its own for the thread check. */
    private static PoolConfig validConfig(String name) {
        PoolConfig config = new PoolConfig();
        config.setName(name);
        config.setUrl(db.jdbcUrl());
        config.setUsername(db.username());
        config.setPassword(db.password());
        return config;
    }

    // ---- values the pool rejects itself, naming the property

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                invalid("pool.name", "", c -> c.setName("")),
                invalid("pool.url", "null", c -> c.setUrl(null)),
                invalid("pool.url", "", c -> c.setUrl("")),
                invalid("pool.url", "not-a-jdbc-url", c -> c.setUrl("not-a-jdbc-url")),
                invalid("pool.url", "jdbc:nosuchdb://localhost/app", c -> c.setUrl("jdbc:nosuchdb://localhost/app")),
                invalid("pool.url", "jdbc:postgresql://localhost:99999/app", c -> c.setUrl("jdbc:postgresql://localhost:99999/app")),
                invalid("pool.url", "jdbc:stub:x", c -> {
                    c.setUrl("jdbc:stub:x");
                    c.setDriverClassName("org.postgresql.Driver");
                }),
                invalid("pool.driver-class-name", "com.example.NoSuchDriver", c -> c.setDriverClassName("com.example.NoSuchDriver")),
                invalid("pool.driver-class-name", "java.lang.String", c -> c.setDriverClassName("java.lang.String")),
                invalid("pool.initial-size", "-1", c -> c.setInitialSize(-1)),
                invalid("pool.min-size", "-1", c -> c.setMinSize(-1)),
                invalid("pool.min-size", "11", c -> c.setMinSize(11)),
                invalid("pool.min-idle", "-1", c -> c.setMinIdle(-1)),
                invalid("pool.min-idle", "11", c -> c.setMinIdle(11)),
                invalid("pool.min-idle", "3", c -> {
                    c.setMinIdle(3);
                    c.setMaxIdle(2);
                }),
                invalid("pool.max-size", "-1", c -> c.setMaxSize(-1)),
                invalid("pool.min-size", "3", c -> { // contradictory: reported on the smaller side's property
                    c.setMinSize(3);
                    c.setMaxSize(2);
                }),
                invalid("pool.max-reuse-count", "-1", c -> c.setMaxReuseCount(-1)),
                invalid("pool.connection-wait-timeout", "PT-1S", c -> c.setConnectionWaitTimeout(Duration.ofSeconds(-1))),
                invalid("pool.connection-wait-timeout", "null", c -> c.setConnectionWaitTimeout(null)),
                invalid("pool.connect-timeout", "PT-1S", c -> c.setConnectTimeout(Duration.ofSeconds(-1))),
                invalid("pool.max-idle-time", "PT-1S", c -> c.setMaxIdleTime(Duration.ofSeconds(-1))),
                invalid("pool.max-reuse-time", "PT-1S", c -> c.setMaxReuseTime(Duration.ofSeconds(-1))),
                invalid("pool.abandoned-connection-timeout", "PT-1S", c -> c.setAbandonedConnectionTimeout(Duration.ofSeconds(-1))),
                invalid("pool.leak-detection-threshold", "PT-1S", c -> c.setLeakDetectionThreshold(Duration.ofSeconds(-1))),
                invalid("pool.validation-timeout", "PT-1S", c -> c.setValidationTimeout(Duration.ofSeconds(-1))),
                invalid("pool.validation-interval", "PT-1S", c -> c.setValidationInterval(Duration.ofSeconds(-1))),
                invalid("pool.keepalive-interval", "PT-1S", c -> c.setKeepaliveInterval(Duration.ofSeconds(-1))),
                invalid("pool.shutdown-timeout", "PT-1S", c -> c.setShutdownTimeout(Duration.ofSeconds(-1))));
    }

    private static Arguments invalid(String property, String value, Consumer<PoolConfig> change) {
        return Arguments.of(property, value, change);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidValues")
    void startUpFailsNamingThePropertyAndItsValue(String property, String value, Consumer<PoolConfig> change) {
        PoolConfig config = validConfig("bad-config");
        change.accept(config);

        assertThatThrownBy(() -> new PoolDataSource(config).close())
                .isInstanceOfSatisfying(PoolConfigException.class, e -> assertThat(e.property()).isEqualTo(property))
                .hasMessageStartingWith(property + " = " + value + " is invalid: ");
        assertThat(InvariantChecker.poolThreads("bad-config-")).as("threads of the pool that failed to start").isEmpty();
    }

    // ---- values only the database can judge: the cause is the database's error

    static Stream<Arguments> valuesTheDatabaseRejects() {
        return Stream.of(
                Arguments.of("wrong password", (Consumer<PoolConfig>) c -> {
                    c.setUsername(passwordUser());
                    c.setPassword("wrong-password");
                }, "password authentication failed"),
                Arguments.of("unknown user", (Consumer<PoolConfig>) c -> c.setUsername("no_such_user"),
                        "\"no_such_user\" does not exist"),
                Arguments.of("unknown database", (Consumer<PoolConfig>) c -> c.setUrl(db.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/no_such_db$1")),
                        "\"no_such_db\" does not exist"),
                Arguments.of("nothing listening at the URL", (Consumer<PoolConfig>) c -> c.setUrl("jdbc:postgresql://127.0.0.1:1/app"),
                        "refused"),
                Arguments.of("data-source-properties the driver rejects", (Consumer<PoolConfig>) c -> c.getDataSourceProperties().put("sslmode", "bogus"),
                        "sslmode"),
                Arguments.of("connection-init-sql that fails", (Consumer<PoolConfig>) c -> c.setConnectionInitSql("selec 1"),
                        "syntax error"),
                // the pool checks its validation query on every new connection: a query that can never succeed
                // would otherwise fail every validation, closing each connection idle past validation-interval
                Arguments.of("validation-query that fails", (Consumer<PoolConfig>) c -> c.setValidationQuery("selec 1"),
                        "pool.validation-query"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesTheDatabaseRejects")
    void startUpWithAnInitialConnectionFailsWithTheCause(String what, Consumer<PoolConfig> change, String expected) {
        PoolConfig config = validConfig("bad-config-db");
        config.setInitialSize(1); // with the default initialization-fail-fast, start-up connects and fails
        change.accept(config);

        assertThatThrownBy(() -> new PoolDataSource(config).close())
                .isInstanceOf(PoolInitializationException.class)
                .satisfies(e -> assertThat(messages(e)).as("messages of the error and its causes").anySatisfy(
                        m -> assertThat(m).containsIgnoringCase(expected)));
        await().atMost(Duration.ofSeconds(5)).until(() -> InvariantChecker.poolThreads("bad-config-db-").isEmpty());
    }

    private static List<String> messages(Throwable e) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        return messages;
    }

    @Test
    void wrongPasswordWithDefaultSettingsFailsEachGetConnectionWithTheCause() {
        PoolConfig config = validConfig("bad-config-password");
        config.setUsername(passwordUser());
        config.setPassword("wrong-password");
        try (PoolDataSource pool = new PoolDataSource(config)) { // initial-size 0: nothing to connect at start-up
            // no retry fixes a wrong password: the caller fails at once, not at the 30 s wait timeout
            // (UnfixableConnectErrorTest has the rest of that behaviour)
            assertThatThrownBy(pool::getConnection)
                    .isInstanceOf(SQLNonTransientConnectionException.class)
                    .hasMessageContaining("bad-config-password")
                    .cause().isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
            assertThat((Object) pool.getLastConnectError()).isNotNull();
        }
        try (Connection right = dataSource(passwordUser(), db.canRestart() ? RIGHT_PASSWORD : db.password()).getConnection()) {
            assertThat(right.isValid(1)).as("the right password works: the failure was the password's").isTrue();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void maxSizeZeroFailsEveryGetConnectionAtOnceSayingSo() {
        PoolConfig config = validConfig("bad-config-zero");
        config.setMaxSize(0);
        Duration waitTimeout = Duration.ofMinutes(1);
        config.setConnectionWaitTimeout(waitTimeout);
        try (PoolDataSource pool = new PoolDataSource(config)) {
            long began = System.nanoTime();
            assertThatThrownBy(pool::getConnection)
                    .isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("max-size 0");
            // "at once": not after the wait timeout, with room for a loaded machine
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(waitTimeout.dividedBy(6));
            assertThat(pool.stats().timeouts()).as("counted as a timed-out wait").isZero();
        }
    }

    // ---- resize at run time

    static Stream<Arguments> invalidSizes() {
        return Stream.of(
                Arguments.of(-1, 5, "pool.min-idle"),
                Arguments.of(0, -1, "pool.max-size"),
                Arguments.of(6, 5, "pool.min-idle"),
                Arguments.of(0, 2, "pool.max-size")); // below min-size 3
    }

    @ParameterizedTest(name = "resize({0}, {1})")
    @MethodSource("invalidSizes")
    void resizeRejectsInvalidSizesNamingThePropertyAndKeepsTheOldOnes(int minIdle, int maxSize, String property) {
        PoolConfig config = validConfig("bad-config-resize");
        config.setMinSize(3);
        try (PoolDataSource pool = new PoolDataSource(config)) {
            assertThatThrownBy(() -> pool.resize(minIdle, maxSize))
                    .isInstanceOfSatisfying(PoolConfigException.class, e -> assertThat(e.property()).isEqualTo(property))
                    .hasMessageContaining(String.valueOf(property.equals("pool.min-idle") ? minIdle : maxSize));
            assertThat(pool.stats().maxSize()).isEqualTo(10);
            assertThat(pool.getMinIdle()).isZero();
        }
    }
}
