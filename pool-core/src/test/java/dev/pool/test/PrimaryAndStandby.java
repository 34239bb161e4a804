package dev.pool.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * A PostgreSQL primary and a hot standby streaming from it, both embedded servers of their own on
 * 127.0.0.1, for tests of what the pool does when a server's role changes (a failover, a switchover,
 * a lagging replica). Each server is a {@link TestDatabase}, so it can be stopped and started again
 * on its port with its data, and a {@link FaultProxy} can sit in front of either and be
 * {@linkplain FaultProxy#pointAt pointed} at the other.
 *
 * <p><b>How the standby is built.</b> The embedded binaries (zonky 18.1) have {@code initdb},
 * {@code pg_ctl} and {@code postgres} but no {@code pg_basebackup}, so the base backup is taken
 * through the primary's low-level backup functions: a physical replication slot is created first
 * (it keeps every WAL segment from now on until the standby has received it), then
 * {@code pg_backup_start()}, a copy of the data directory without what the documentation says to
 * leave out (the WAL, the postmaster's files, temporary and runtime state), then
 * {@code pg_backup_stop()} on the same session, whose label file is written into the copy as
 * {@code backup_label}. The copy gets {@code standby.signal}, and {@code primary_conninfo} and
 * {@code primary_slot_name} in its {@code postgresql.auto.conf}; started, it streams from the
 * primary and accepts read-only connections once it has replayed up to the end of the backup.
 *
 * <p>Started only by the tests that need it (a few seconds: two servers, a checkpoint and a copy
 * of about 40 MB), always embedded, also when {@code POOL_TEST_JDBC_URL} names an external database.
 * {@link #close()} stops both and deletes their directories; a JVM shutdown hook does the same if a
 * test never got to close it. Plain Java, no test framework: the benchmarks use it too.
 */
public final class PrimaryAndStandby implements AutoCloseable {

    /** Longest any step here waits for the servers (start-up, streaming, replay, promotion). */
    public static final Duration WAIT = Duration.ofSeconds(60);

    private static final String SLOT = "pool_test_standby";
    /**
     * A standby whose primary went away tries again after this long (default 5 s): a test that
     * restarts the primary sees streaming resume within a fraction of a second.
     */
    private static final Map<String, String> SETTINGS = Map.of("wal_retrieve_retry_interval", "100ms");
    /** Top-level entries of the data directory a base backup leaves out, or keeps only as empty directories. */
    private static final Set<String> LEFT_OUT = Set.of("postmaster.pid", "postmaster.opts", "epg-lock");
    private static final Set<String> EMPTIED = Set.of("pg_wal", "pg_replslot", "pg_dynshmem", "pg_notify", "pg_serial",
            "pg_snapshots", "pg_stat_tmp", "pg_subtrans");

    private final Path directory;
    private final EmbeddedPostgresServer primaryServer;
    private final EmbeddedPostgresServer standbyServer;
    private final TestDatabase primary;
    private final TestDatabase standby;
    private final Thread shutdownHook;

    private PrimaryAndStandby(Path directory, EmbeddedPostgresServer primaryServer, EmbeddedPostgresServer standbyServer) {
        this.directory = directory;
        this.primaryServer = primaryServer;
        this.standbyServer = standbyServer;
        this.primary = database(primaryServer);
        this.standby = database(standbyServer);
        this.shutdownHook = new Thread(this::destroy, "pool-test-replication-shutdown");
    }

    private static TestDatabase database(EmbeddedPostgresServer server) {
        return new TestDatabase("jdbc:postgresql://localhost:" + server.port() + "/postgres", "postgres", "postgres", server);
    }

    /** Starts a primary, builds a standby from a base backup of it, starts that, and waits until it streams. */
    public static PrimaryAndStandby start() {
        Path directory;
        try {
            directory = Files.createTempDirectory("pool-test-replication");
            Files.createDirectories(directory.resolve("primary"));
            Files.createDirectories(directory.resolve("standby"));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a directory for the primary and the standby", e);
        }
        EmbeddedPostgresServer primaryServer = EmbeddedPostgresServer.in(directory.resolve("primary"), SETTINGS);
        EmbeddedPostgresServer standbyServer = EmbeddedPostgresServer.in(directory.resolve("standby"), SETTINGS);
        try {
            primaryServer.start();
            baseBackup(primaryServer, standbyServer.dataDirectory());
            standbyServer.start();
        } catch (RuntimeException | Error e) {
            standbyServer.destroy();
            primaryServer.destroy();
            deleteQuietly(directory);
            throw e;
        }
        PrimaryAndStandby pair = new PrimaryAndStandby(directory, primaryServer, standbyServer);
        Runtime.getRuntime().addShutdownHook(pair.shutdownHook);
        try {
            pair.awaitStreaming();
        } catch (RuntimeException | Error e) {
            pair.close();
            throw e;
        }
        return pair;
    }

    /** The server built as the primary. After {@link #promoteStandby()} it is still a primary (nothing demotes it). */
    public TestDatabase primary() {
        return primary;
    }

    /** The server built as the standby: in recovery, read-only, until {@link #promoteStandby()}. */
    public TestDatabase standby() {
        return standby;
    }

    // ---- building the standby

    private static void baseBackup(EmbeddedPostgresServer primaryServer, Path target) {
        String url = "jdbc:postgresql://localhost:" + primaryServer.port() + "/postgres";
        try (Connection connection = java.sql.DriverManager.getConnection(url, "postgres", "postgres");
                Statement statement = connection.createStatement()) {
            statement.execute("select pg_create_physical_replication_slot('" + SLOT + "', true)");
            statement.execute("select pg_backup_start('pool-test-standby', true)");
            copyDataDirectory(primaryServer.dataDirectory(), target);
            try (ResultSet stop = statement.executeQuery("select labelfile, spcmapfile from pg_backup_stop(false)")) {
                stop.next();
                Files.writeString(target.resolve("backup_label"), stop.getString(1));
                String tablespaceMap = stop.getString(2);
                if (tablespaceMap != null && !tablespaceMap.isEmpty()) {
                    Files.writeString(target.resolve("tablespace_map"), tablespaceMap);
                }
            }
            Files.createFile(target.resolve("standby.signal"));
            Files.writeString(target.resolve("postgresql.auto.conf"), String.join("\n",
                    "primary_conninfo = 'host=localhost port=" + primaryServer.port() + " user=postgres application_name=pool_test_standby'",
                    "primary_slot_name = '" + SLOT + "'",
                    ""), StandardOpenOption.APPEND);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not take a base backup of the primary on port " + primaryServer.port()
                    + "; the end of its log:\n" + primaryServer.logTail(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the standby's data directory " + target, e);
        }
    }

    /**
     * Copies a running server's data directory as a base backup does: files that vanish while it
     * copies are skipped (the WAL replay repairs whatever was caught half-written).
     */
    private static void copyDataDirectory(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                Path relative = source.relativize(dir);
                Files.createDirectories(target.resolve(relative.toString()));
                if (relative.getNameCount() == 1 && EMPTIED.contains(relative.toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Path relative = source.relativize(file);
                String name = file.getFileName().toString();
                if ((relative.getNameCount() == 1 && LEFT_OUT.contains(name)) || name.startsWith("pgsql_tmp")
                        || name.equals("pg_internal.init")) {
                    return FileVisitResult.CONTINUE;
                }
                try {
                    Files.copy(file, target.resolve(relative.toString()), StandardCopyOption.REPLACE_EXISTING);
                } catch (NoSuchFileException vanished) {
                    // removed while copying, as temporary files are: the backup does not need it
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        Files.createDirectories(target.resolve("pg_wal/archive_status"));
        Files.createDirectories(target.resolve("pg_wal/summaries"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------")); // the server insists
    }

    // ---- roles and replication

    /** Waits (at most {@link #WAIT}) until the standby receives WAL from the primary by streaming. */
    public void awaitStreaming() {
        awaitTrue("the standby on port " + standbyServer.port() + " streams from the primary", () -> {
            try (Connection connection = connect(standby);
                    ResultSet result = connection.createStatement().executeQuery("select status from pg_stat_wal_receiver")) {
                return result.next() && "streaming".equals(result.getString(1));
            }
        });
    }

    /**
     * Waits (at most {@link #WAIT}) until the standby has replayed everything the primary had written
     * when this was called, so a read on the standby sees every write committed on the primary before.
     * The primary's insert position, not its write position: the embedded servers commit without
     * waiting for the WAL to be written ({@code synchronous_commit=off}), so a commit may still sit
     * in the WAL buffers, ahead of the write position, for up to a few hundred milliseconds.
     */
    public void awaitReplayed() {
        String written;
        try (Connection connection = connect(primary);
                ResultSet result = connection.createStatement().executeQuery("select pg_current_wal_insert_lsn()::text")) {
            result.next();
            written = result.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the primary's WAL position", e);
        }
        awaitTrue("the standby replays the primary's WAL up to " + written, () -> {
            try (Connection connection = connect(standby);
                    PreparedStatement statement = connection.prepareStatement(
                            "select pg_wal_lsn_diff(pg_last_wal_replay_lsn(), ?::pg_lsn) >= 0")) {
                statement.setString(1, written);
                try (ResultSet result = statement.executeQuery()) {
                    return result.next() && result.getBoolean(1);
                }
            }
        });
    }

    /** {@code pg_is_in_recovery()} on that server: true on a standby. */
    public static boolean isInRecovery(TestDatabase server) {
        try (Connection connection = connect(server);
                ResultSet result = connection.createStatement().executeQuery("select pg_is_in_recovery()")) {
            result.next();
            return result.getBoolean(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not ask " + server + " whether it is in recovery", e);
        }
    }

    /**
     * Promotes the standby with {@code pg_promote()} and returns once it is a primary and takes
     * writes (sessions open on it stay open and may write from then on). The old primary keeps
     * running as a primary: stop it to play a failover that fences it.
     */
    public void promoteStandby() {
        try (Connection connection = connect(standby);
                ResultSet result = connection.createStatement().executeQuery("select pg_promote(true, " + WAIT.toSeconds() + ")")) {
            result.next();
            if (!result.getBoolean(1)) {
                throw new IllegalStateException("pg_promote() did not finish within " + WAIT.toSeconds() + " s on " + standby
                        + "; the end of its log:\n" + standbyServer.logTail());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not promote the standby " + standby, e);
        }
        awaitTrue("the promoted standby leaves recovery", () -> !isInRecovery(standby));
    }

    /**
     * Pauses WAL replay on the standby ({@code pg_wal_replay_pause()}): it keeps receiving WAL but its
     * data stops moving, so its lag grows with every write on the primary. Returns once it has paused.
     */
    public void pauseReplay() {
        execute(standby, "select pg_wal_replay_pause()");
        awaitTrue("replay pauses on the standby", () -> {
            try (Connection connection = connect(standby);
                    ResultSet result = connection.createStatement().executeQuery("select pg_get_wal_replay_pause_state()")) {
                return result.next() && "paused".equals(result.getString(1));
            }
        });
    }

    /** Resumes WAL replay on the standby ({@code pg_wal_replay_resume()}). */
    public void resumeReplay() {
        execute(standby, "select pg_wal_replay_resume()");
    }

    /** Runs one statement on its own new connection to {@code server}. */
    public static void execute(TestDatabase server, String sql) {
        try (Connection connection = connect(server); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not run '" + sql + "' on " + server, e);
        }
    }

    private static Connection connect(TestDatabase server) throws SQLException {
        return server.unpooledDataSource(TestDatabase.ADMIN_APPLICATION_NAME).getConnection();
    }

    private void awaitTrue(String what, Callable<Boolean> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Exception last = null;
        for (;;) {
            try {
                if (condition.call()) {
                    return;
                }
            } catch (Exception e) {
                last = e; // the server may still be starting: ask again
            }
            if (System.nanoTime() - deadline > 0) {
                IllegalStateException timeout = new IllegalStateException("Waited " + WAIT.toSeconds() + " s for " + what
                        + "; the end of the standby's log:\n" + standbyServer.logTail()
                        + "\nthe end of the primary's log:\n" + primaryServer.logTail());
                if (last != null) {
                    timeout.initCause(last);
                }
                throw timeout;
            }
            try {
                Thread.sleep(20); // polling a server's state; nothing to be woken by
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + what, e);
            }
        }
    }

    // ---- clean-up

    /** Stops both servers and deletes their data. Idempotent. */
    @Override
    public void close() {
        destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException exiting) {
            // the JVM is shutting down: the hook runs (or ran) destroy() itself
        }
    }

    private void destroy() {
        standbyServer.destroy();
        primaryServer.destroy();
        deleteQuietly(directory);
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a leftover temporary directory is harmless
        }
    }

    @Override
    public String toString() {
        return "PrimaryAndStandby[primary on " + primaryServer.port() + ", standby on " + standbyServer.port() + "]";
    }
}
