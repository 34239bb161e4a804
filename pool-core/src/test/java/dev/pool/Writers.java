package dev.pool;

import dev.pool.test.InvariantChecker;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Threads that write through a pool in a loop, for failover tests: each round borrows a connection,
 * asks its server who it is ({@code port}, backend pid, {@code pg_is_in_recovery()}), inserts a row
 * and returns the connection, and records what happened. The identity comes before the write so a
 * failed write still says which connection, on which server, it failed on.
 */
final class Writers implements AutoCloseable {

    private static final String WHO = "select current_setting('port')::int, pg_backend_pid(), pg_is_in_recovery()";
    /** After a failed round a writer pauses this long, as an application retrying would, so a server in trouble is not hammered. */
    private static final long PAUSE_AFTER_FAILURE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    /** One round: when it began and ended (System.nanoTime), the connection's server and backend, and the outcome. */
    record Round(int writer, long start, long end, int port, int pid, boolean inRecovery, String sqlState, String error) {

        boolean ok() {
            return error == null;
        }

        boolean readOnly() {
            return "25006".equals(sqlState);
        }

        /** The physical connection, as the server knows it; null if the round failed before asking. */
        String connection() {
            return port == 0 ? null : port + "/" + pid;
        }

        @Override
        public String toString() {
            return "writer " + writer + " on " + connection() + (inRecovery ? " (standby)" : "") + ": "
                    + (ok() ? "ok" : sqlState + " " + error);
        }
    }

    private final DataSource pool;
    private final InvariantChecker checker;
    private final String table;
    private final Queue<Round> rounds = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    /** Starts {@code count} writers inserting into {@code table (writer int)}, telling {@code checker} what they hold. */
    Writers(DataSource pool, InvariantChecker checker, String table, int count) {
        this.pool = pool;
        this.checker = checker;
        this.table = table;
        for (int i = 0; i < count; i++) {
            int writer = i;
            Thread thread = new Thread(() -> loop(writer), "writer-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void loop(int writer) {
        while (running) {
            long start = System.nanoTime();
            int port = 0;
            int pid = 0;
            boolean inRecovery = false;
            String sqlState = null;
            String error = null;
            try (Connection connection = pool.getConnection()) {
                checker.lent(connection);
                try {
                    try (ResultSet who = connection.createStatement().executeQuery(WHO)) {
                        who.next();
                        port = who.getInt(1);
                        pid = who.getInt(2);
                        inRecovery = who.getBoolean(3);
                    }
                    try (PreparedStatement insert = connection.prepareStatement("insert into " + table + " (writer) values (?)")) {
                        insert.setInt(1, writer);
                        insert.executeUpdate();
                    }
                } finally {
                    checker.returning(connection);
                }
            } catch (SQLException e) {
                sqlState = e.getSQLState();
                error = String.valueOf(e.getMessage());
            }
            // recorded after close(): by then the pool has the connection back
            rounds.add(new Round(writer, start, System.nanoTime(), port, pid, inRecovery, sqlState, error));
            if (error != null) {
                LockSupport.parkNanos(PAUSE_AFTER_FAILURE_NANOS);
            }
        }
    }

    /** Every round so far, in no particular order. */
    List<Round> rounds() {
        return List.copyOf(rounds);
    }

    List<Round> rounds(Predicate<Round> filter) {
        return rounds.stream().filter(filter).collect(Collectors.toList());
    }

    /** Successful rounds so far, per writer: the smallest count. */
    long leastSuccesses() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < threads.size(); i++) {
            int writer = i;
            least = Math.min(least, rounds.stream().filter(r -> r.writer() == writer && r.ok()).count());
        }
        return least;
    }

    /** Successful rounds that began at or after {@code since} (System.nanoTime), per writer: the smallest count. */
    long leastSuccessesSince(long since) {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < threads.size(); i++) {
            int writer = i;
            least = Math.min(least, rounds.stream().filter(r -> r.writer() == writer && r.ok() && r.start() - since >= 0).count());
        }
        return least;
    }

    /** Stops the writers and waits for them to finish their round. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
    }
}
