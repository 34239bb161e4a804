package dev.pool.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The real PostgreSQL a test runs against, from {@link EmbeddedPostgresExtension}: where it is,
 * unpooled access to it, and what it sees. For the embedded server, {@link #stop()} and
 * {@link #start()} restart it on the same port with the same data; a test doing that must not run
 * beside other database tests (annotate it {@code @Isolated}).
 */
public final class TestDatabase {

    /** The application name of {@link #backendCount}'s own connection, so it never counts itself. */
    public static final String ADMIN_APPLICATION_NAME = "pool-test-admin";

    /** Role names {@link #createPasswordRole} accepts: written into SQL and pg_hba.conf as they are. */
    private static final Pattern ROLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private static final String BACKEND_COUNT =
            "select count(*) from pg_stat_activity where application_name = ? and pid <> pg_backend_pid()";

    private final String jdbcUrl;
    private final String username;
    private final String password;
    /** Null for an external database, which tests may not restart. */
    private final EmbeddedPostgresServer server;

    TestDatabase(String jdbcUrl, String username, String password, EmbeddedPostgresServer server) {
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
        this.server = server;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /**
     * {@link #jdbcUrl()} with the driver's {@code ApplicationName} set, so {@link #backendCount}
     * can tell this test's connections from everyone else's.
     */
    public String jdbcUrl(String applicationName) {
        return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "ApplicationName="
                + URLEncoder.encode(applicationName, StandardCharsets.UTF_8);
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** A plain, unpooled data source: every {@code getConnection} opens a new backend. */
    public DataSource unpooledDataSource() {
        return dataSource(jdbcUrl);
    }

    /** As {@link #unpooledDataSource()}, its connections named {@code applicationName}. */
    public DataSource unpooledDataSource(String applicationName) {
        return dataSource(jdbcUrl(applicationName));
    }

    private PGSimpleDataSource dataSource(String url) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        dataSource.setUser(username);
        dataSource.setPassword(password);
        return dataSource;
    }

    /**
     * Backends in {@code pg_stat_activity} with this {@code application_name}, asked over a
     * connection of its own. A backend leaves the view shortly after its client closes, so assert
     * on this with Awaitility, not once.
     */
    public int backendCount(String applicationName) {
        try (BackendWatch watch = watchBackends(applicationName)) {
            return watch.count();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not count backends of '" + applicationName + "' at "
                    + jdbcUrl, e);
        }
    }

    /**
     * Counts backends named {@code applicationName} as {@link #backendCount} does, over one
     * connection kept open, for checks that count every few milliseconds.
     */
    public BackendWatch watchBackends(String applicationName) throws SQLException {
        PGSimpleDataSource admin = dataSource(jdbcUrl);
        admin.setApplicationName(ADMIN_APPLICATION_NAME);
        Connection connection = admin.getConnection();
        try {
            PreparedStatement statement = connection.prepareStatement(BACKEND_COUNT);
            statement.setString(1, applicationName);
            return new BackendWatch(connection, statement);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    /** An open connection that counts one application's backends; not thread-safe. */
    public static final class BackendWatch implements AutoCloseable {

        private final Connection connection;
        private final PreparedStatement statement;

        private BackendWatch(Connection connection, PreparedStatement statement) {
            this.connection = connection;
            this.statement = statement;
        }

        public int count() throws SQLException {
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the server may be gone: nothing left to close
            }
        }
    }

    /**
     * Creates a login role the server asks for its password on every TCP connection (SCRAM), or
     * gives an existing one this password. The embedded server trusts everyone, so a rule for this
     * role alone goes in front of the trust rules in {@code pg_hba.conf}, the server reloads it, and
     * this returns once the server refuses the role a wrong password (proof the rule is in force).
     * Every other role keeps being trusted. Embedded server only: it edits the server's files.
     */
    public synchronized void createPasswordRole(String role, String password) {
        if (!ROLE_NAME.matcher(role).matches()) {
            throw new IllegalArgumentException("Role name '" + role + "' must match " + ROLE_NAME);
        }
        restartableServer();
        try (Connection admin = adminConnection(); Statement s = admin.createStatement()) {
            s.execute("set password_encryption = 'scram-sha-256'");
            try (ResultSet exists = s.executeQuery("select 1 from pg_roles where rolname = '" + role + "'")) {
                s.execute((exists.next() ? "alter role " : "create role ") + role + " login password " + quote(password));
            }
            Path hbaFile;
            try (ResultSet file = s.executeQuery("show hba_file")) {
                file.next();
                hbaFile = Path.of(file.getString(1));
            }
            if (requirePassword(hbaFile, role)) {
                s.execute("select pg_reload_conf()");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the password role '" + role + "' at " + jdbcUrl, e);
        }
        // the server reloads its rules a moment after pg_reload_conf() returns
        Awaitility.await("the server asks role '" + role + "' for its password").atMost(Duration.ofSeconds(30))
                .until(() -> refusesWrongPassword(role));
    }

    /** Changes a role's password ({@code ALTER ROLE ... PASSWORD}); open connections of the role stay open. */
    public void setPassword(String role, String password) {
        if (!ROLE_NAME.matcher(role).matches()) {
            throw new IllegalArgumentException("Role name '" + role + "' must match " + ROLE_NAME);
        }
        try (Connection admin = adminConnection(); Statement s = admin.createStatement()) {
            s.execute("set password_encryption = 'scram-sha-256'");
            s.execute("alter role " + role + " password " + quote(password));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not change the password of '" + role + "' at " + jdbcUrl, e);
        }
    }

    /** Opens a connection as {@code role} with {@code password}, without a pool; the caller closes it. */
    public Connection connectAs(String role, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", role);
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(jdbcUrl, properties);
    }

    /** Adds {@code host all <role> all scram-sha-256} in front of every other rule; false if it is there already. */
    private static boolean requirePassword(Path hbaFile, String role) {
        String rule = "host all " + role + " all scram-sha-256";
        try {
            List<String> lines = Files.readAllLines(hbaFile);
            if (lines.contains(rule)) {
                return false;
            }
            List<String> edited = new ArrayList<>();
            edited.add("# added by the pool's tests: this role must give its password");
            edited.add(rule);
            edited.addAll(lines);
            Files.write(hbaFile, edited);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not edit " + hbaFile, e);
        }
    }

    private boolean refusesWrongPassword(String role) {
        try (Connection c = connectAs(role, "certainly-not-the-password")) {
            return false; // still trusted: the reload has not happened yet
        } catch (SQLException e) {
            if ("28P01".equals(e.getSQLState())) {
                return true;
            }
            throw new IllegalStateException("Expected the server to refuse role '" + role + "' a wrong password", e);
        }
    }

    private Connection adminConnection() throws SQLException {
        PGSimpleDataSource admin = dataSource(jdbcUrl);
        admin.setApplicationName(ADMIN_APPLICATION_NAME);
        return admin.getConnection();
    }

    private static String quote(String literal) {
        return "'" + literal.replace("'", "''") + "'";
    }

    /** True for the embedded server; false for a database given by {@code POOL_TEST_JDBC_URL}. */
    public boolean canRestart() {
        return server != null;
    }

    /** Whether the server accepts connections; an external database is taken to be always up. */
    public boolean isRunning() {
        return server == null || server.isRunning();
    }

    /**
     * Stops the embedded server, keeping its data: open connections fail (SQLState {@code 57P01}) and
     * new ones are refused until {@link #start()}. Waits until it has stopped.
     */
    public void stop() {
        restartableServer().stop();
    }

    /** Starts the embedded server again on the same port; returns once it accepts connections. */
    public void start() {
        restartableServer().start();
    }

    private EmbeddedPostgresServer restartableServer() {
        if (server == null) {
            throw new UnsupportedOperationException("The test database " + jdbcUrl
                    + " comes from POOL_TEST_JDBC_URL and cannot be restarted; check canRestart() first");
        }
        return server;
    }

    @Override
    public String toString() {
        return "TestDatabase[" + jdbcUrl + (server == null ? "" : ", embedded") + "]";
    }
}
