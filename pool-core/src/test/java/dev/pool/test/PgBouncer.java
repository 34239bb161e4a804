package dev.pool.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PgBouncer on 127.0.0.1 in front of the test database, in transaction pooling mode: the way
 * teams put many application pools in front of one PostgreSQL. Debian's {@code pgbouncer} package
 * (CI installs it: {@code apt-get install -y pgbouncer}); tests that use it are marked
 * {@code @RequiresPrograms(names = "pgbouncer", install = PgBouncer.INSTALL)}, so they are skipped, saying so,
 * where it is missing.
 *
 * <p>Clients are trusted (any password); PgBouncer logs in to the database as the test database's
 * user. {@code poolSize} server connections serve every client, so a pool bigger than that is
 * multiplexed: consecutive transactions of one client connection may run on different backends.
 * PgBouncer refuses to run as root; as root it is started with {@code -u nobody}.
 */
public final class PgBouncer implements AutoCloseable {

    /** How to install PgBouncer on Debian or Ubuntu (CI's {@code .ci/run} does). */
    public static final String INSTALL = "apt-get install -y pgbouncer";

    private final Process process;
    private final Path directory;
    private final int port;
    private final String database;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    private PgBouncer(Process process, Path directory, int port, String database) {
        this.process = process;
        this.directory = directory;
        this.port = port;
        this.database = database;
    }

    /** The pgbouncer executable, or an error telling how to install it. */
    public static Path executable() {
        return Programs.require("pgbouncer", INSTALL);
    }

    /** Starts PgBouncer in transaction mode with {@code poolSize} server connections in front of {@code database}. */
    public static PgBouncer start(TestDatabase database, int poolSize) {
        Path executable = executable();
        URI server = URI.create(database.jdbcUrl().substring("jdbc:".length()));
        try {
            Path directory = Files.createTempDirectory("pool-test-pgbouncer");
            directory.toFile().setReadable(true, false);
            directory.toFile().setExecutable(true, false);
            int port = freePort();
            String host = "localhost".equals(server.getHost()) ? "127.0.0.1" : server.getHost();
            String password = database.password() == null ? "" : " password=" + database.password();
            Path ini = directory.resolve("pgbouncer.ini");
            Path users = directory.resolve("userlist.txt");
            Files.writeString(users, "\"" + database.username() + "\" \"\"\n");
            Files.writeString(ini, String.join("\n",
                    "[databases]",
                    "* = host=" + host + " port=" + (server.getPort() == -1 ? 5432 : server.getPort())
                            + " user=" + database.username() + password,
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1",
                    "listen_port = " + port,
                    "unix_socket_dir =",
                    "auth_type = trust",
                    "auth_file = " + users,
                    "pool_mode = transaction",
                    "default_pool_size = " + poolSize,
                    "min_pool_size = 0",
                    "reserve_pool_size = 0",
                    "max_client_conn = 200",
                    "ignore_startup_parameters = extra_float_digits",
                    "server_reset_query =",
                    ""));
            for (Path file : List.of(ini, users)) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            }
            List<String> command = new ArrayList<>(List.of(executable.toString()));
            if ("root".equals(System.getProperty("user.name"))) {
                command.addAll(List.of("-u", "nobody"));
            }
            command.add(ini.toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            PgBouncer bouncer = new PgBouncer(process, directory, port, server.getPath().substring(1));
            bouncer.awaitListening();
            return bouncer;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start PgBouncer", e);
        }
    }

    /** Reads PgBouncer's log until it says it listens (or it exits); keeps reading in the background. */
    private void awaitListening() {
        CountDownLatch listening = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.add(line);
                    if (line.contains("process up")) {
                        listening.countDown();
                    }
                }
            } catch (IOException ended) {
                // the process was stopped
            }
            listening.countDown();
        }, "pgbouncer-log");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!listening.await(30, TimeUnit.SECONDS) || !process.isAlive()) {
                close();
                throw new IllegalStateException("PgBouncer did not start; its output:\n" + String.join("\n", output));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("Interrupted while starting PgBouncer", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    /** A JDBC URL for the test database through PgBouncer, with the driver's {@code ApplicationName}. */
    public String jdbcUrl(String applicationName) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?ApplicationName=" + applicationName;
    }

    /** What PgBouncer logged so far, for failure messages. */
    public List<String> output() {
        return List.copyOf(output);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a leftover temporary directory is harmless
        }
    }
}
