package dev.pool.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A {@link ResultSet} obtained through a pooled connection: reading it counts as use of the
 * connection, and {@code getStatement()} answers with the statement handle (or null for metadata).
 */
final class ResultSetHandle extends ResultSetDelegate {

    private final ConnectionHandle connection;
    private final Statement statement;
    private final ResultSet raw;

    ResultSetHandle(ConnectionHandle connection, Statement statement, ResultSet raw) {
        this.connection = connection;
        this.statement = statement;
        this.raw = raw;
    }

    @Override
    ResultSet delegate() throws SQLException {
        connection.checkLive();
        return raw;
    }

    @Override
    SQLException inspect(SQLException e) {
        return connection.inspect(e);
    }

    @Override
    public Statement getStatement() throws SQLException {
        connection.checkLive();
        return statement;
    }

    @Override
    public void close() throws SQLException {
        if (!connection.isLive()) {
            return;
        }
        try {
            raw.close();
        } catch (SQLException e) {
            throw inspect(e);
        }
    }

    @Override
    public boolean isClosed() throws SQLException {
        return !connection.isLive() || raw.isClosed();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        ResultSet rs = delegate();
        return type.isInstance(rs) ? type.cast(rs) : rs.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        if (type.isInstance(this)) {
            return true;
        }
        ResultSet rs = delegate();
        return type.isInstance(rs) || rs.isWrapperFor(type);
    }
}
