package dev.pool.engine;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Which driver errors mean the connection itself is gone, so it must be closed and never lent
 * again: SQLState class {@code 08} (connection exception) and {@code 57P01}..{@code 57P03}
 * (PostgreSQL's admin shutdown, crash shutdown, cannot connect now). The whole chain of
 * {@link SQLException#getNextException()} is looked at, as drivers put the cause of a batch failure
 * there, but only up to a {@link SQLTransientConnectionException}: that one says a new connection
 * could not be had (a pool's timeout), not that this one broke.
 */
final class SqlStates {

    private SqlStates() {
    }

    /** Does this error (or one chained to it) say the connection is lost? */
    static boolean meansConnectionLost(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            if (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"))) {
                return true;
            }
            if (x instanceof SQLTransientConnectionException) {
                return false;
            }
            if (x.getNextException() == x) {
                break;
            }
        }
        return false;
    }
}
