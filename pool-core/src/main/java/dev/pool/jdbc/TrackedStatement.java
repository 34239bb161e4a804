package dev.pool.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What every statement handle does: checks the connection's lease on each call, answers
 * {@code getConnection()} with the handle (never the raw connection), wraps result sets, and
 * tells the pool when it is closed so the pool stops tracking it. Statements the borrower forgets
 * are closed by the pool when the connection is returned.
 */
abstract class TrackedStatement<S extends Statement> extends StatementDelegate<S> {

    final ConnectionHandle connection;
    final S raw;

    TrackedStatement(ConnectionHandle connection, S raw) {
        this.connection = connection;
        this.raw = raw;
    }

    @Override
    final S delegate() throws SQLException {
        connection.enter();
        return raw;
    }

    @Override
    final void exit() {
        connection.exit();
    }

    @Override
    final SQLException inspect(SQLException e) {
        return connection.inspect(e);
    }

    @Override
    final ResultSet wrap(ResultSet rs) {
        return rs == null ? null : new ResultSetHandle(connection, this, rs);
    }

    @Override
    public final Connection getConnection() throws SQLException {
        connection.checkOpen();
        return connection;
    }

    /** Closes the statement; after the connection's return it is already closed and this does nothing. */
    @Override
    public final void close() throws SQLException {
        if (!connection.isLive()) {
            return;
        }
        connection.untrack(raw);
        try {
            raw.close();
        } catch (SQLException e) {
            throw inspect(e);
        }
    }

    @Override
    public final boolean isClosed() throws SQLException {
        return !connection.isLive() || raw.isClosed();
    }

    @Override
    public final <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        connection.checkOpen();
        return type.isInstance(raw) ? type.cast(raw) : raw.unwrap(type);
    }

    @Override
    public final boolean isWrapperFor(Class<?> type) throws SQLException {
        if (type.isInstance(this)) {
            return true;
        }
        connection.checkOpen();
        return type.isInstance(raw) || raw.isWrapperFor(type);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + raw + "]";
    }
}
