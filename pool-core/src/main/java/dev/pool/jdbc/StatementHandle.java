package dev.pool.jdbc;

import java.sql.Statement;

/** A {@link Statement} obtained through a pooled connection; behaviour in {@link TrackedStatement}. */
final class StatementHandle extends TrackedStatement<Statement> {

    StatementHandle(ConnectionHandle connection, Statement raw) {
        super(connection, raw);
    }
}
