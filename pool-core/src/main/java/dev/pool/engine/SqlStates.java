package dev.pool.engine;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * What a driver error's SQLState says about the connection, read in one place:
 * <ul>
 *   <li>whether the connection itself is gone, so it must be closed and never lent again: SQLState
 *       class {@code 08} (connection exception) and {@code 57P01}..{@code 57P03} (PostgreSQL's admin
 *       shutdown, crash shutdown, cannot connect now). The whole chain of
 *       {@link SQLException#getNextException()} is looked at, as drivers put the cause of a batch
 *       failure there, but only up to a {@link SQLTransientConnectionException}: that one says a new
 *       connection could not be had (a pool's timeout), not that this one broke;</li>
 *   <li>whether a failed connect is one no retry fixes until someone changes something (a wrong
 *       password, a database that does not exist), so the callers waiting for it are failed at once
 *       instead of at their timeout;</li>
 *   <li>whether a call wrote in a read-only transaction ({@code 25006}), which puts the connection's
 *       server role in doubt (see {@link PrimaryRoleGuard}).</li>
 * </ul>
 */
final class SqlStates {

    /** A write in a read-only transaction: what PostgreSQL raises for every write on a standby. */
    static final String READ_ONLY_TRANSACTION = "25006";

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

    /**
     * Did the call fail because it wrote in a read-only transaction (SQLState {@code 25006}, on the
     * error or one chained to it)? On PostgreSQL that is a write on a standby, or in a transaction
     * the application made read-only: the {@link PrimaryRoleGuard} tells them apart.
     */
    static boolean meansReadOnlyTransaction(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (READ_ONLY_TRANSACTION.equals(x.getSQLState())) {
                return true;
            }
            if (x.getNextException() == x) {
                break;
            }
        }
        return false;
    }

    /**
     * The SQLState of a connect error that no retry can fix until someone changes something, or null
     * if a retry may succeed: class {@code 28} (authentication: a wrong password, an unknown user, no
     * {@code pg_hba.conf} entry) and {@code 3D000} (the database does not exist). The first SQLState on
     * the error or the SQLExceptions it wraps decides (a DataSource may wrap the driver's error).
     */
    static String unfixableConnectState(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                return state.startsWith("28") || state.equals("3D000") ? state : null;
            }
        }
        return null;
    }
}
