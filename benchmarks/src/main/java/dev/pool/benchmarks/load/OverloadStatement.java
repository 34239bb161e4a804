package dev.pool.benchmarks.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.postgresql.jdbc.PgStatement;

/**
 * The work of one overload request on its borrowed connection: one statement of a few milliseconds
 * ({@code select pg_sleep(0.005)} by default), prepared, executed, and its first row read if it has
 * one. The same code runs on every pool, so whether the statement respects the request's budget
 * ({@link Timeout}) is the same choice for all of them.
 */
final class OverloadStatement {

    /** Whether the statement is bounded by what is left of the request's budget. */
    enum Timeout {

        /**
         * The statement runs to its end however little budget is left, as code without deadlines
         * runs it. A few-millisecond statement overshoots the budget by at most its own length; a
         * request served after its budget ran out counts as served late.
         */
        NONE,

        /**
         * The request checks its deadline once it has a connection: with nothing left it gives the
         * connection back at once and fails ({@link BudgetSpentException}); otherwise the statement
         * gets the rest as its timeout, in milliseconds (pgjdbc's {@code setQueryTimeoutMs}: the
         * driver cancels it over a separate connection to the server, whichever pool lent the
         * connection). Work done after the budget is then cut short instead of finished.
         */
        REMAINING;

        /** The name {@code --statement-timeout} takes. */
        String optionName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Timeout named(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Unknown statement timeout '" + name + "'; the choices are none, remaining");
            }
        }
    }

    private final String sql;
    private final Timeout timeout;

    OverloadStatement(String sql, Timeout timeout) {
        this.sql = sql;
        this.timeout = timeout;
    }

    String sql() {
        return sql;
    }

    /** Runs the statement for a request whose budget ends at {@code deadlineNanos} ({@link System#nanoTime()}). */
    void run(Connection connection, long deadlineNanos) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (timeout == Timeout.REMAINING) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    throw new BudgetSpentException(TimeUnit.NANOSECONDS.toMicros(-left));
                }
                // at least 1 ms: pgjdbc reads 0 as "no timeout"
                statement.unwrap(PgStatement.class).setQueryTimeoutMs(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            execute(statement);
        }
    }

    /** Runs the statement with no deadline: the capacity measurement's loop. */
    void run(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            execute(statement);
        }
    }

    private static void execute(PreparedStatement statement) throws SQLException {
        if (statement.execute()) {
            try (ResultSet result = statement.getResultSet()) {
                result.next();
            }
        }
    }

    /** A request that got its connection only after its budget had run out, under {@link Timeout#REMAINING}. */
    static final class BudgetSpentException extends SQLTimeoutException {

        BudgetSpentException(long overMicros) {
            super("The request's budget ran out " + overMicros + " µs before its statement could start; the statement was not run");
        }
    }
}
