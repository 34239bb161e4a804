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
        connection.enter();
        return raw;
    }

    @Override
    void exit() {
        connection.exit();
    }

    @Override
    SQLException inspect(SQLException e) {
        return connection.inspect(e);
    }

    @Override
    public Statement getStatement() throws SQLException {
        connection.checkOpen();
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
        connection.checkOpen();
        return type.isInstance(raw) ? type.cast(raw) : raw.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        if (type.isInstance(this)) {
            return true;
        }
        connection.checkOpen();
        return type.isInstance(raw) || raw.isWrapperFor(type);
    }
}
