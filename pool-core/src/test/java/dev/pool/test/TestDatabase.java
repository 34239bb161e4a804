package dev.pool.test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
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
