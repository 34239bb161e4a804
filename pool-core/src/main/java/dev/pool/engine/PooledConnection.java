package dev.pool.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * One physical connection and everything the pool knows about it.
 *
 * <p><b>State machine.</b> Who owns the entry is one {@code long}, {@code word = lease << 2 | state},
 * changed by compare-and-set or by its owner:
 * <pre>
 *   IDLE ──claim──▶ BORROWED ──end of lease──▶ RESERVED ──publish──▶ IDLE
 *     │                                           │  └─hand-off──▶ BORROWED (next borrower)
 *     └──reserve (housekeeping)──▶ RESERVED ───────┴─retire──▶ CLOSED
 * </pre>
 * {@code IDLE} entries are free for any thread to claim by CAS; every other state has exactly one
 * owner. A lease ends (the borrower's {@code close()}, or the pool reclaiming an abandoned
 * connection) by the CAS {@code (L, BORROWED) → (L+1, RESERVED)}: exactly one caller wins, and the
 * handle that was given lease {@code L} is dead from that instant, because a handle is live only
 * while {@code word == (L, BORROWED)}. That one comparison is how every JDBC call through a stale
 * handle is refused without a lock.
 *
 * <p>Fields below the word are written only by the entry's current owner; the CAS or volatile write
 * that hands the entry over publishes them to the next owner.
 */
public final class PooledConnection {

    static final int IDLE = 0;
    static final int BORROWED = 1;
    static final int RESERVED = 2;
    static final int CLOSED = 3;

    private static final VarHandle WORD;

    static {
        try {
            WORD = MethodHandles.lookup().findVarHandle(PooledConnection.class, "word", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final ConnectionPool pool;
    final Connection raw;
    final SessionState session;
    final long createdAt;
    /** When this connection becomes too old to lend: creation + max-reuse-time less a little jitter. */
    final long retireAt;
    /** {@code evictAll()} retires every entry whose generation is older than the pool's. */
    final int generation;

    private volatile long word;

    int borrowCount;
    long borrowedAt;
    long lastReturnedAt;
    long lastValidatedAt;
    Thread borrower;
    /** Where the current lease was borrowed, when leak detection or abandonment wants to say. */
    private Throwable borrowSite;

    // written by the housekeeper alone, which keeps its own view of each lease
    long watchedLease = -1;
    long watchedSince;
    long lastActiveAt;
    int watchedEnters;
    long leakReportedLease = -1;
    /**
     * Calls through the handle or its statements that began and that ended. Written by the borrower
     * alone (plain writes); housekeeping reads them racily: {@code enters != exits} means a call is in
     * progress, and a change since its last look means the connection was used.
     */
    int enters;
    int exits;
    private int entersAtBorrow;
    /** Set by whoever sees a connection-class error; a broken connection is closed, never lent again. */
    volatile boolean broken;
    /** The lease the pool reclaimed as abandoned, -1 if none: its handle's errors say so. */
    volatile long reclaimedLease = -1;

    private Statement[] statements = new Statement[4];
    private int statementCount;

    PooledConnection(ConnectionPool pool, Connection raw, SessionState session, long createdAt, long retireAt, int generation) {
        this.pool = pool;
        this.raw = raw;
        this.session = session;
        this.createdAt = createdAt;
        this.retireAt = retireAt;
        this.generation = generation;
        this.lastReturnedAt = createdAt;
        this.lastValidatedAt = createdAt;
        this.word = RESERVED; // the opener owns a new entry until it publishes it
    }

    // ---- state machine -------------------------------------------------------------------------

    static int stateOf(long word) {
        return (int) (word & 3);
    }

    long word() {
        return word;
    }

    int state() {
        return stateOf(word);
    }

    /** IDLE → BORROWED, for a borrower. Returns the lease word, or -1 if someone else was first. */
    long tryClaim() {
        long w = word;
        if (stateOf(w) != IDLE) {
            return -1;
        }
        long leased = (w & ~3L) | BORROWED;
        return WORD.compareAndSet(this, w, leased) ? leased : -1;
    }

    /** IDLE → RESERVED, for housekeeping (validate, retire). */
    boolean tryReserve() {
        long w = word;
        return stateOf(w) == IDLE && WORD.compareAndSet(this, w, (w & ~3L) | RESERVED);
    }

    /** (L, BORROWED) → (L+1, RESERVED): ends lease L. Only one caller can win. */
    boolean endLease(long lease) {
        return WORD.compareAndSet(this, lease, ((lease >>> 2) + 1) << 2 | RESERVED);
    }

    /** RESERVED → IDLE, by the owner. Volatile: pairs with the waiter's enqueue-then-rescan. */
    void publishIdle() {
        word = (word & ~3L) | IDLE;
    }

    /** RESERVED → BORROWED, by the owner handing the entry to a waiter. Returns the new lease word. */
    long lend() {
        long leased = (word & ~3L) | BORROWED;
        word = leased;
        return leased;
    }

    /** Any owned state → CLOSED. */
    void markClosed() {
        word = (word & ~3L) | CLOSED;
    }

    /** Bookkeeping at the start of a lease, by the new owner. */
    void onBorrow(long now, boolean captureSite) {
        borrowCount++;
        borrowedAt = now;
        borrower = Thread.currentThread();
        entersAtBorrow = enters;
        if (captureSite) {
            borrowSite = new Throwable("Connection borrowed here by thread '" + borrower.getName() + "'");
        }
    }

    /** Last time the connection was known to work: its last return or validation. */
    long lastAliveAt() {
        return Math.max(lastReturnedAt, lastValidatedAt);
    }

    /**
     * Where the current lease was borrowed, starting at the caller of {@code getConnection()} (the
     * pool's own frames cut off); null unless leak detection or abandonment is on.
     */
    Throwable borrowSite() {
        Throwable site = borrowSite;
        if (site == null) {
            return null;
        }
        StackTraceElement[] frames = site.getStackTrace();
        int first = 0;
        for (int i = 0; i < frames.length; i++) {
            if (frames[i].getClassName().startsWith("dev.pool.") && frames[i].getMethodName().equals("getConnection")
                    && !frames[i].getClassName().startsWith("dev.pool.engine.")) {
                first = i + 1;
                break;
            }
        }
        Throwable trimmed = new Throwable(site.getMessage());
        trimmed.setStackTrace(java.util.Arrays.copyOfRange(frames, first, frames.length));
        return trimmed;
    }

    /** The lease is over: forget who held it. */
    void clearBorrower() {
        borrower = null;
        borrowSite = null;
    }

    boolean usedDuringLease() {
        return enters != entersAtBorrow;
    }

    // ---- what the JDBC handles need --------------------------------------------------------------

    /** The lease just granted, for the borrower who now owns the entry to build its handle with. */
    public long lease() {
        return word;
    }

    /** The driver's connection. */
    public Connection raw() {
        return raw;
    }

    /** Is the lease with this word still running? One volatile read: the check every handle call makes. */
    public boolean isLeased(long lease) {
        return word == lease;
    }

    /** A JDBC call on the lease begins. */
    public void enter() {
        enters++;
    }

    /** The JDBC call {@link #enter()} announced has ended. */
    public void exit() {
        exits++;
    }

    /** The error for a call through a handle whose lease has ended. */
    public SQLException leaseEnded(long lease) {
        return leaseEnded(lease, null);
    }

    /**
     * The error for a call that began during the lease but failed after it ended (the connection
     * was reclaimed or returned meanwhile): the driver's error, whatever it says, is only the cause.
     */
    public SQLException leaseEnded(long lease, SQLException cause) {
        String how = reclaimedLease == lease
                ? "was reclaimed by pool '" + pool.name() + "' as abandoned (no JDBC call for longer than abandoned-connection-timeout)"
                : "is closed (returned to pool '" + pool.name() + "')";
        return new SQLException("Connection " + how, "08003", cause);
    }

    /**
     * Looks at an error the driver raised: a connection-class SQLState ({@code 08xxx},
     * {@code 57P01}..{@code 57P03}) marks the connection broken. Returns the error to rethrow.
     */
    public SQLException inspect(SQLException e) {
        if (isFatal(e)) {
            broken = true;
        }
        return e;
    }

    /** The connection must not be lent again (the borrower aborted it, or it failed). */
    public void markBroken() {
        broken = true;
    }

    static boolean isFatal(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            if (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"))) {
                return true;
            }
            if (x instanceof SQLTransientConnectionException) {
                return false;
            }
            if (x.getNextException() == x) {
                break;
            }
        }
        return false;
    }

    /**
     * The SQLState of a connect error that no retry can fix until someone changes something, or null
     * if a retry may succeed: class {@code 28} (authentication: a wrong password, an unknown user, no
     * {@code pg_hba.conf} entry) and {@code 3D000} (the database does not exist). The first SQLState on
     * the error or the SQLExceptions it wraps decides (a DataSource may wrap the driver's error).
     */
    static String unfixableConnectState(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                return state.startsWith("28") || state.equals("3D000") ? state : null;
            }
        }
        return null;
    }

    /** Ends the lease from the borrower's side: the handle's {@code close()}. A second call is a no-op. */
    public void release(long lease) {
        pool.release(this, lease);
    }

    /** Remembers a statement the borrower opened, so it is closed if the borrower forgets. */
    public <S extends Statement> S track(S statement) {
        if (statementCount == statements.length) {
            statements = Arrays.copyOf(statements, statementCount * 2);
        }
        statements[statementCount++] = statement;
        return statement;
    }

    /** Forgets a statement the borrower closed. Searches from the end: the last opened is usually the first closed. */
    public void untrack(Statement statement) {
        for (int i = statementCount - 1; i >= 0; i--) {
            if (statements[i] == statement) {
                System.arraycopy(statements, i + 1, statements, i, statementCount - i - 1);
                statements[--statementCount] = null;
                return;
            }
        }
    }

    /** The session state the handle changes go through, so they can be undone on return. */
    public SessionState session() {
        return session;
    }

    /** Closes the statements the borrower left open. Returns the first failure, or null. */
    SQLException closeStatements() {
        SQLException failure = null;
        for (int i = statementCount - 1; i >= 0; i--) {
            Statement s = statements[i];
            statements[i] = null;
            try {
                s.close();
            } catch (SQLException e) {
                failure = failure == null ? e : failure;
            }
        }
        statementCount = 0;
        return failure;
    }

    @Override
    public String toString() {
        return "PooledConnection[" + raw + ", state=" + state() + ", borrows=" + borrowCount + "]";
    }
}
