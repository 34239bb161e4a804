package dev.pool.jdbc;

import java.sql.SQLException;
import java.util.concurrent.Executor;

/**
 * The session settings a borrower may change through its handle. The pool's implementation applies
 * each change to the driver's connection and remembers it, so exactly what was changed is restored
 * when the connection is returned.
 */
public interface SessionSettings {

    void setAutoCommit(boolean value) throws SQLException;

    void setReadOnly(boolean value) throws SQLException;

    void setTransactionIsolation(int level) throws SQLException;

    void setCatalog(String catalog) throws SQLException;

    void setSchema(String schema) throws SQLException;

    void setNetworkTimeout(Executor executor, int millis) throws SQLException;
}
