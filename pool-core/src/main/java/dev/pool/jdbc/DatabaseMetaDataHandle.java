package dev.pool.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;

/** {@link DatabaseMetaData} of a pooled connection: {@code getConnection()} answers with the handle. */
final class DatabaseMetaDataHandle extends DatabaseMetaDataDelegate {

    private final ConnectionHandle connection;
    private final DatabaseMetaData raw;

    DatabaseMetaDataHandle(ConnectionHandle connection, DatabaseMetaData raw) {
        this.connection = connection;
        this.raw = raw;
    }

    @Override
    DatabaseMetaData delegate() throws SQLException {
        connection.enter();
        return raw;
    }

    @Override
    void exit() {
        connection.exit();
    }

    @Override
    DatabaseMetaData unchecked() {
        return raw;
    }

    @Override
    SQLException inspect(SQLException e) {
        return connection.inspect(e);
    }

    @Override
    ResultSet wrap(ResultSet rs) {
        return rs == null ? null : new ResultSetHandle(connection, null, rs);
    }

    @Override
    public Connection getConnection() throws SQLException {
        connection.checkOpen();
        return connection;
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
