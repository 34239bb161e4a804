package dev.pool.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What a handle needs from the pool: the pooled connection it was lent, seen through one lease. The
 * engine's entries extend it; the handles know nothing else of the engine, which stays
 * package-private. An abstract class rather than an interface: with one subclass the JIT binds
 * every call statically, without the type check an interface call keeps on the handle's hot path.
 * A lease is the {@code long} the handle was built with: the handle is live while {@link #isLeased}
 * says so for it, and that one check is all a call through a stale handle costs.
 */
public abstract class LentConnection {

    /** For the engine's entries only. */
    protected LentConnection() {
    }

    /** The driver's connection. */
    public abstract Connection raw();

    /** Is the lease with this word still running? The check every handle call makes. */
    public abstract boolean isLeased(long lease);

    /** A JDBC call on the lease begins (the pool's abandonment check watches these). */
    public abstract void enter();

    /** The call {@link #enter()} announced has ended. */
    public abstract void exit();

    /**
     * The error for a call through a handle whose lease has ended, or ({@code cause} not null) for a
     * call that began during the lease and failed after it ended: the driver's error is then only
     * the cause.
     */
    public abstract SQLException leaseEnded(long lease, SQLException cause);

    /** Looks at an error the driver raised on a live lease (a connection-class one breaks the connection); returns it. */
    public abstract SQLException inspect(SQLException e);

    /** The connection must not be lent again (the borrower aborted it). */
    public abstract void markBroken();

    /** Ends the lease from the borrower's side (the handle's {@code close()}); a second call does nothing. */
    public abstract void release(long lease);

    /** Remembers a statement the borrower opened, so the pool closes it if the borrower forgets. */
    public abstract <S extends Statement> S track(S statement);

    /** Forgets a statement the borrower closed. */
    public abstract void untrack(Statement statement);

    /** The session settings, changed through here so the pool can restore them on return. */
    public abstract SessionSettings session();
}
