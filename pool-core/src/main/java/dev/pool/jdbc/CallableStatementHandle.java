package dev.pool.jdbc;

import java.sql.CallableStatement;

/** A {@link CallableStatement} obtained through a pooled connection; behaviour in {@link TrackedStatement}. */
final class CallableStatementHandle extends CallableStatementDelegate {

    CallableStatementHandle(ConnectionHandle connection, CallableStatement raw) {
        super(connection, raw);
    }
}
