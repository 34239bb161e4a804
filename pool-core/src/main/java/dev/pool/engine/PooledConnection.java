package dev.pool.engine;

import dev.pool.jdbc.LentConnection;
import dev.pool.jdbc.SessionSettings;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * One physical connection and everything the pool knows about it: who owns it now (the state
 * machine below), and what its current and past leases did.
 *
 * <p><b>State machine.</b> Who owns the entry is one {@code long}, {@code word = lease << 2 | state},
 * changed by compare-and-set or by its owner:
 * <pre>
 *   IDLE ──claim──▶ BORROWED ──end of lease──▶ RESERVED ──publish──▶ IDLE
 *     │                                           │  └─hand-off──▶ BORROWED (next borrower)
 *     └──reserve (housekeeping)──▶ RESERVED ───────┴─retire──▶ CLOSED
 * </pre>
 * {@code IDLE} entries are free for any thread to claim by CAS; every other state has exactly one
 * owner. A lease ends (the borrower's {@code close()}, the pool reclaiming an abandoned connection,
 * a forced close) by the CAS {@code (L, BORROWED) → (L+1, RESERVED)}: exactly one caller wins, and
 * the handle that was given lease {@code L} is dead from that instant, because a handle is live only
 * while {@code word == (L, BORROWED)}. That one comparison is how every JDBC call through a stale
 * handle is refused without a lock, and why a borrower builds its handle from the word its own claim
 * returned ({@link #grantedLease()}), never from a second read.
 *
 * <p>Fields below the word are written only by the entry's current owner; the CAS or volatile write
 * that hands the entry over publishes them to the next owner. The statements a borrower leaves open
 * are tracked by {@link OpenStatements}, errors judged by {@link SqlStates}; the handles see the
 * entry only as a {@link LentConnection}.
 */
final class PooledConnection extends LentConnection {

    static final int IDLE = 0;
    static final int BORROWED = 1;
    static final int RESERVED = 2;
    static final int CLOSED = 3;

    /** {@link #trouble} bit: the connection is lost or could not be reset. */
    static final int BROKEN = 1;
    /** {@link #trouble} bit: a call raised SQLState 25006, or another connection's server turned out to be a standby. */
    static final int ROLE_IN_DOUBT = 2;

    private static final VarHandle WORD;
    private static final VarHandle TROUBLE;

    static {
        try {
            WORD = MethodHandles.lookup().findVarHandle(PooledConnection.class, "word", long.class);
            TROUBLE = MethodHandles.lookup().findVarHandle(PooledConnection.class, "trouble", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The pool that lends it: takes it back and names itself in errors. */
    private final ConnectionPool pool;
    final Connection raw;
    final SessionState session;
    final long createdAt;
    /** When this connection becomes too old to lend: creation + max-reuse-time less a little jitter. */
    final long retireAt;
    /** {@code evictAll()} retires every entry whose generation is older than the pool's. */
    final int generation;
    final OpenStatements statements = new OpenStatements();
    /** The server's process id, as the driver told it when the connection opened; null where it does not say. */
    final Integer pid;

    private volatile long word;
    /** See {@link #grantedLease()}. */
    private long grantedLease;

    int borrowCount;
    long borrowedAt;
    long lastReturnedAt;
    long lastValidatedAt;
    Thread borrower;
    /** Where the current lease was borrowed, when leak detection or abandonment wants to say. */
    private Throwable borrowSite;
    /** The current lease's JFR event, begun at the borrow; null unless a recording wants leases. */
    JfrEvents.Lease leaseEvent;

    // the holders' sample (see Holders), written by the lease's owner
    long sampledAt;
    long sampledLease = -1;
    String sampleSite;
    long sampleStart;
    long sampleWeight;
    int borrowsAtSample;
    /**
     * When the current lease began on the slow path (handed over, or found by a waiter), 0 for a
     * lease from the fast path: such leases are timed for {@link HoldTimes}. Written by the owner.
     */
    long contendedSince;
    /**
     * The lease its borrower was waiting for another connection of this pool with, and that thread
     * ({@link DeadlockDetector}); -1 when not waiting. Written by the borrower alone.
     */
    volatile long waitingLease = -1;
    Thread waitingHolder;

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
    /**
     * What is wrong with the connection, as bits: {@link #BROKEN} (whoever sees a connection-class
     * error sets it; a broken connection is closed, never lent again) and {@link #ROLE_IN_DOUBT}
     * (its server may be a standby: the {@link PrimaryRoleGuard} asks before it is lent again). One
     * field for both so that a return reads one volatile word, as it did when there was only
     * {@code broken}: the guard costs the lending cycle nothing until a connection is flagged.
     */
    private volatile int trouble;
    /** The lease the pool reclaimed as abandoned, -1 if none: its handle's errors say so. */
    volatile long reclaimedLease = -1;

    PooledConnection(ConnectionPool pool, Connection raw, SessionState session, long createdAt, long retireAt, int generation) {
        this.pool = pool;
        this.raw = raw;
        this.session = session;
        this.createdAt = createdAt;
        this.retireAt = retireAt;
        this.generation = generation;
        this.pid = session != null ? session.driver.backendPid() : null;
        this.lastReturnedAt = createdAt;
        this.lastValidatedAt = createdAt;
        this.sampledAt = createdAt - Holders.SAMPLE_EVERY_NANOS; // its first borrow is sampled
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
        if (!WORD.compareAndSet(this, w, leased)) {
            return -1;
        }
        grantedLease = leased;
        return leased;
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

    /** RESERVED → BORROWED, by the borrower taking a hand-off it was given. Returns the new lease word. */
    long lend() {
        long leased = (word & ~3L) | BORROWED;
        grantedLease = leased;
        word = leased;
        return leased;
    }

    /** Any owned state → CLOSED. */
    void markClosed() {
        word = (word & ~3L) | CLOSED;
    }

    /**
     * The lease word this thread was just granted, written by the borrower's own thread when it
     * claims the entry or takes a hand-off, and read by it to build its handle. Never re-read from
     * the word: a forced close may already have ended the lease, and the word it leaves behind must
     * not pass for a live lease.
     */
    long grantedLease() {
        return grantedLease;
    }

    // ---- trouble ------------------------------------------------------------------------------

    /** The {@link #BROKEN} and {@link #ROLE_IN_DOUBT} bits, read once (one volatile read). */
    int trouble() {
        return trouble;
    }

    boolean isBroken() {
        return (trouble & BROKEN) != 0;
    }

    /** Its server may be a standby: ask before lending it again. Any thread (the guard flags borrowed entries). */
    void doubtRole() {
        TROUBLE.getAndBitwiseOr(this, ROLE_IN_DOUBT);
    }

    /** The guard has taken the doubt on: it asks now. */
    void clearDoubt() {
        TROUBLE.getAndBitwiseAnd(this, ~ROLE_IN_DOUBT);
    }

    // ---- what each lease did -------------------------------------------------------------------

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

    /** The lease is over: forget who held it. */
    void clearBorrower() {
        borrower = null;
        borrowSite = null;
    }

    boolean usedDuringLease() {
        return enters != entersAtBorrow;
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
        trimmed.setStackTrace(Arrays.copyOfRange(frames, first, frames.length));
        return trimmed;
    }

    // ---- LentConnection: what the JDBC handles see -------------------------------------------------

    @Override
    public Connection raw() {
        return raw;
    }

    @Override
    public boolean isLeased(long lease) {
        return word == lease;
    }

    @Override
    public void enter() {
        enters++;
    }

    @Override
    public void exit() {
        exits++;
    }

    @Override
    public SQLException leaseEnded(long lease, SQLException cause) {
        String how = reclaimedLease == lease
                ? "was reclaimed by pool '" + pool.name() + "' as abandoned (no JDBC call for longer than abandoned-connection-timeout)"
                : pool.isClosed() ? "is closed (pool '" + pool.name() + "' was closed)"
                : "is closed (returned to pool '" + pool.name() + "')";
        return new SQLException("Connection " + how, "08003", cause);
    }

    @Override
    public SQLException inspect(SQLException e) {
        if (SqlStates.meansConnectionLost(e)) {
            markBroken();
        } else if (SqlStates.meansReadOnlyTransaction(e)) {
            doubtRole(); // the primary-role guard asks pg_is_in_recovery() when it comes back
        }
        return e;
    }

    @Override
    public void markBroken() {
        TROUBLE.getAndBitwiseOr(this, BROKEN);
    }

    @Override
    public void release(long lease) {
        pool.release(this, lease);
    }

    @Override
    public <S extends Statement> S track(S statement) {
        return statements.track(statement);
    }

    @Override
    public void untrack(Statement statement) {
        statements.untrack(statement);
    }

    @Override
    public SessionSettings session() {
        return session;
    }

    @Override
    public String toString() {
        return "PooledConnection[" + raw + ", state=" + state() + ", borrows=" + borrowCount + "]";
    }
}
