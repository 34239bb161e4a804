package dev.pool.sample.trouble;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * Borrows connections and never closes them, the bug that {@code pool.leak-detection-threshold}
 * reports and {@code pool.abandoned-connection-timeout} repairs. The handles stay referenced here,
 * as a real leak's would in some forgotten field, so that the pool, not the garbage collector, is
 * what ends them; the handle then answers every call with an exception saying it was reclaimed.
 */
@Component
class ConnectionLeaker {

    /** Leaks the pool has not reclaimed yet; more would starve the demo for half a minute. */
    static final int MAX_HELD = 3;

    /** Leaks remembered for {@code GET /leak}, reclaimed or not. */
    private static final int HISTORY = 10;

    private final DataSource dataSource;
    private final Deque<Leak> leaks = new ArrayDeque<>();

    ConnectionLeaker(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Borrows a connection, runs one query on it and forgets to close it. */
    synchronized Leak leak() throws SQLException {
        long held = leaks.stream().filter((leak) -> !leak.reclaimed()).count();
        if (held >= MAX_HELD) {
            throw new TooManyLeaksException(MAX_HELD);
        }
        Connection connection = dataSource.getConnection();
        int backendPid;
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("select pg_backend_pid()")) {
            result.next();
            backendPid = result.getInt(1);
        }
        // and no connection.close(): that is the bug
        Leak leak = new Leak(connection, backendPid, Instant.now());
        leaks.addFirst(leak);
        if (leaks.size() > HISTORY) {
            leaks.removeLast();
        }
        return leak;
    }

    /** The newest leaks first. */
    synchronized List<Leak> leaks() {
        return List.copyOf(leaks);
    }

    /** A leaked connection; {@code isClosed()} is no JDBC call, so asking does not keep it alive. */
    record Leak(Connection connection, int backendPid, Instant leakedAt) {

        boolean reclaimed() {
            try {
                return connection.isClosed();
            } catch (SQLException e) {
                return true;
            }
        }

        Duration age() {
            return Duration.between(leakedAt, Instant.now());
        }

        /**
         * What the leaking code sees on its next call once the pool reclaimed the connection; null
         * before, when asking would itself be a call and so keep the leak alive.
         */
        String nextCallFails() {
            if (!reclaimed()) {
                return null;
            }
            try {
                connection.getAutoCommit();
                return null;
            } catch (SQLException e) {
                return e.getMessage();
            }
        }
    }

    static class TooManyLeaksException extends RuntimeException {

        TooManyLeaksException(int max) {
            super(max + " leaked connections are held already; wait until the pool reclaims one");
        }
    }
}
