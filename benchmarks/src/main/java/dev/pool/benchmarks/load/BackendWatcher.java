package dev.pool.benchmarks.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * Counts one cell's server backends every {@value #INTERVAL_MILLIS} ms from a connection of its
 * own, and keeps the most it saw: the pool's real size as the server sees it, whatever the pool
 * believes. Runs on a thread of its own from before the pool opens until its clients are done.
 */
final class BackendWatcher implements AutoCloseable {

    static final long INTERVAL_MILLIS = 100;

    private static final String COUNT =
            "select count(*) from pg_stat_activity where application_name = ? and pid <> pg_backend_pid()";

    private final Connection connection;
    private final PreparedStatement count;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int most;
    private volatile SQLException failure;

    BackendWatcher(Database database, String applicationName) throws SQLException {
        connection = database.connect(Database.ADMIN_APPLICATION_NAME);
        try {
            count = connection.prepareStatement(COUNT);
            count.setString(1, applicationName);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        thread = new Thread(this::watch, "load-backend-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        while (running) {
            try {
                most = Math.max(most, count());
            } catch (SQLException e) {
                failure = e;
                return;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private int count() throws SQLException {
        try (ResultSet result = count.executeQuery()) {
            result.next();
            return result.getInt(1);
        }
    }

    /**
     * Stops watching after one last count, and returns the most backends seen, or -1 if counting
     * failed (said on standard error): the cell's other results still stand.
     */
    int stop() {
        running = false; // not interrupt(): it could land in the driver mid-query
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
            if (failure == null && !thread.isAlive()) {
                most = Math.max(most, count());
            }
        } catch (SQLException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            System.err.println("Could not count backends: " + failure);
            return -1;
        }
        return most;
    }

    @Override
    public void close() {
        running = false;
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing more to count
        }
    }
}
