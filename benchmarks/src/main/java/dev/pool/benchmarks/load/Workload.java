package dev.pool.benchmarks.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a client does with a borrowed connection: one "transaction" of the results. The statements
 * are prepared on every borrow, as code using a pool does; PostgreSQL's driver caches them per
 * connection, so after the first few they are server-side prepared statements.
 */
enum Workload {

    /** {@code select 1}: the shortest round trip, so the pool's own cost shows most. */
    SELECT1("borrow, `select 1`, return") {
        @Override
        void run(Connection connection) throws SQLException {
            selectOne(connection);
        }
    },

    /**
     * Four borrows in five run {@code select 1}; the fifth runs a short read-write transaction, as
     * Spring's transaction manager drives one: auto-commit off, update one row of a small table,
     * commit, auto-commit back on. It holds the connection for about three round trips.
     */
    MIXED("borrow, then `select 1` 4 times in 5 or a read-write transaction (update one row, commit) 1 in 5, return") {
        @Override
        void run(Connection connection) throws SQLException {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            if (random.nextInt(5) != 0) {
                selectOne(connection);
                return;
            }
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement update = connection.prepareStatement(
                        "update pool_load_account set balance = balance + 1 where id = ?")) {
                    update.setInt(1, 1 + random.nextInt(Database.ACCOUNT_ROWS));
                    update.executeUpdate();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                cleanUpAfter(connection, e);
                throw e;
            }
            connection.setAutoCommit(true);
        }
    };

    private final String description;

    Workload(String description) {
        this.description = description;
    }

    /** What one transaction is, for the results. */
    String description() {
        return description;
    }

    /** The name {@code --workloads} takes. */
    String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Workload named(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown workload '" + name + "'; the workloads are select1, mixed");
        }
    }

    abstract void run(Connection connection) throws SQLException;

    private static void selectOne(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("select 1");
                ResultSet result = select.executeQuery()) {
            result.next();
            result.getInt(1);
        }
    }

    /** Rolls back and restores auto-commit after a failure; failures to do so ride on the first. */
    private static void cleanUpAfter(Connection connection, Exception failure) {
        try {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
