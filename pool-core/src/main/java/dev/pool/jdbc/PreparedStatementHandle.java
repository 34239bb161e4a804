package dev.pool.jdbc;

import java.sql.PreparedStatement;

/** A {@link PreparedStatement} obtained through a pooled connection; behaviour in {@link TrackedStatement}. */
final class PreparedStatementHandle extends PreparedStatementDelegate<PreparedStatement> {

    PreparedStatementHandle(ConnectionHandle connection, PreparedStatement raw) {
        super(connection, raw);
    }
}
