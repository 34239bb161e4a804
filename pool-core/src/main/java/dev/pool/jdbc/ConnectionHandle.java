package dev.pool.jdbc;

import java.sql.CallableStatement;
import java.sql.ClientInfoStatus;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * The {@link Connection} a borrower holds: one lease on a pooled physical connection. It is live
 * while the pool says the lease it was given still runs ({@link LentConnection#isLeased}); after
 * {@code close()}, or after the pool reclaims it, every call throws SQLState {@code 08003} and never
 * reaches the physical connection, which may by then belong to someone else. A second
 * {@code close()} does nothing.
 *
 * <p>One small object per borrow, referenced by nothing in the pool, so the JIT can often keep it
 * off the heap altogether.
 */
public final class ConnectionHandle extends ConnectionDelegate {

    private final LentConnection entry;
    private final long lease;

    /**
     * Loads the handle classes now, on the thread that builds the pool: loading them on the first
     * borrow from a virtual thread pins its carrier for a moment.
     */
    public static void preload() {
        for (Class<?> type : new Class<?>[] {StatementHandle.class, PreparedStatementHandle.class, CallableStatementHandle.class,
                ResultSetHandle.class, DatabaseMetaDataHandle.class}) {
            type.getName();
        }
    }

    public ConnectionHandle(LentConnection entry, long lease) {
        this.entry = entry;
        this.lease = lease;
    }

    /** Throws unless the lease is still running. */
    void checkOpen() throws SQLException {
        if (!entry.isLeased(lease)) {
            throw entry.leaseEnded(lease, null);
        }
    }

    /** Throws unless the lease is still running, else begins a call that {@link #exit()} ends. */
    void enter() throws SQLException {
        checkOpen();
        entry.enter();
    }

    @Override
    void exit() {
        entry.exit();
    }

    boolean isLive() {
        return entry.isLeased(lease);
    }

    @Override
    Connection delegate() throws SQLException {
        enter();
        return entry.raw();
    }

    /**
     * A failure of a call whose lease ended while it ran (reclaimed as abandoned, or closed from
     * another thread) is reported as such, and not held against the connection, which is no longer
     * this handle's to judge.
     */
    @Override
    SQLException inspect(SQLException e) {
        if (!entry.isLeased(lease)) {
            return entry.leaseEnded(lease, e);
        }
        return entry.inspect(e);
    }

    void untrack(Statement raw) {
        entry.untrack(raw);
    }

    @Override
    Statement wrap(Statement raw) {
        return new StatementHandle(this, entry.track(raw));
    }

    @Override
    PreparedStatement wrap(PreparedStatement raw) {
        return new PreparedStatementHandle(this, entry.track(raw));
    }

    @Override
    CallableStatement wrap(CallableStatement raw) {
        return new CallableStatementHandle(this, entry.track(raw));
    }

    @Override
    DatabaseMetaData wrap(DatabaseMetaData raw) {
        return new DatabaseMetaDataHandle(this, raw);
    }

    /** Returns the connection to the pool. Idempotent. */
    @Override
    public void close() {
        if (entry.isLeased(lease)) {
            entry.release(lease);
        }
    }

    @Override
    public boolean isClosed() {
        return !entry.isLeased(lease);
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        if (!entry.isLeased(lease)) {
            return false;
        }
        Connection raw = delegate();
        try {
            return raw.isValid(timeout);
        } catch (SQLException e) {
            throw inspect(e);
        } finally {
            exit();
        }
    }

    /** Aborts the physical connection; the pool then closes it and never lends it again. */
    @Override
    public void abort(Executor executor) throws SQLException {
        if (!entry.isLeased(lease)) {
            return;
        }
        entry.markBroken();
        try {
            entry.raw().abort(executor);
        } finally {
            entry.release(lease);
        }
    }

    // Session settings go through the entry's SessionState, so the pool can restore them on return.

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        enter();
        try {
            entry.session().setAutoCommit(autoCommit);
        } catch (SQLException e) {
            throw inspect(e);
        } finally {
            exit();
        }
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        enter();
        try {
            entry.session().setReadOnly(readOnly);
        } catch (SQLException e) {
            throw inspect(e);
        } finally {
            exit();
        }
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        enter();
        try {
            entry.session().setTransactionIsolation(level);
        } catch (SQLException e) {
            throw inspect(e);
        } finally {
            exit();
        }
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        enter();
        try {
            entry.session().setCatalog(catalog);
        } catch (SQLException e) {
            throw inspect(e);
        } finally {
            exit();
        }
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        enter();
        try {
            entry.session().setSchema(schema);
        } catch (SQLException e) {
            throw inspect(e);
        } finally {
            exit();
        }
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        enter();
        try {
            entry.session().setNetworkTimeout(executor, milliseconds);
        } catch (SQLException e) {
            throw inspect(e);
        } finally {
            exit();
        }
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        clientInfoCheck();
        try {
            entry.raw().setClientInfo(name, value);
        } finally {
            exit();
        }
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        clientInfoCheck();
        try {
            entry.raw().setClientInfo(properties);
        } finally {
            exit();
        }
    }

    private void clientInfoCheck() throws SQLClientInfoException {
        try {
            enter();
        } catch (SQLException e) {
            throw new SQLClientInfoException(e.getMessage(), e.getSQLState(), Map.<String, ClientInfoStatus>of(), e);
        }
    }

    /** The handle itself, or the driver's connection (or what it wraps) for the driver's types. */
    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        // the borrower may change the driver's connection behind our back: count it as use, so it is reset on return
        Connection raw = delegate();
        try {
            return type.isInstance(raw) ? type.cast(raw) : raw.unwrap(type);
        } finally {
            exit();
        }
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        if (type.isInstance(this)) {
            return true;
        }
        checkOpen();
        Connection raw = entry.raw();
        return type.isInstance(raw) || raw.isWrapperFor(type);
    }

    @Override
    public String toString() {
        return "ConnectionHandle[" + entry.raw() + (isLive() ? "" : ", closed") + "]";
    }
}
