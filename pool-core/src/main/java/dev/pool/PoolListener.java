package dev.pool;

import java.sql.SQLException;

/**
 * Hears what a pool does, beside the engine rather than in it: metrics, logging and tests listen
 * here. Methods are called on the thread that did the work (often a borrower's), so they must be
 * quick; every method has an empty default. Whatever a listener throws is logged (once at WARN,
 * then at DEBUG) and ignored: it never changes what the pool does.
 *
 * <p>Timings are measured only while at least one listener {@link #wantsTimings() wants them}, so a
 * pool without metrics reads no clock on its fast path.
 */
public interface PoolListener {

    /** True if this listener uses the durations below; false lets the pool skip reading the clock. */
    default boolean wantsTimings() {
        return true;
    }

    /** A physical connection was opened, taking {@code nanos}. */
    default void connectionCreated(long nanos) {
    }

    /** A connect attempt failed. */
    default void connectFailed(SQLException error) {
    }

    /** {@code getConnection()} lent a connection after {@code nanos} (0 if timings are off). */
    default void connectionAcquired(long nanos, boolean waited) {
    }

    /**
     * A {@code getConnection()} found no idle connection and starts to wait. Called on the waiting
     * thread, on the slow path only: a borrow that finds an idle connection never calls it. The
     * returned {@link Wait}, if not null, is told on the same thread how this wait ended; a
     * listener keeps per-wait state there (the Micrometer observation does) rather than in a
     * thread-local.
     */
    default Wait waitStarted() {
        return null;
    }

    /** {@code getConnection()} gave up after {@code nanos}. */
    default void acquireTimedOut(long nanos) {
    }

    /** {@code getConnection()} failed at once, without waiting out its time, {@code nanos} after it began. */
    default void acquireRejected(RejectionReason reason, long nanos) {
    }

    /** A borrower returned its connection after holding it {@code nanos}. */
    default void connectionReturned(long nanos) {
    }

    /**
     * A connection has been borrowed longer than {@code leak-detection-threshold}; reported once per
     * borrow. {@code borrowSite} holds the borrower's stack at the time of the borrow.
     */
    default void leakSuspected(String threadName, long heldNanos, Throwable borrowSite) {
    }

    /** The pool closed a connection for {@code reason}. */
    default void connectionEvicted(EvictionReason reason) {
    }

    /** One wait of one {@code getConnection()}, as a listener follows it; see {@link #waitStarted()}. */
    interface Wait {

        /** The wait ended with {@code outcome}; {@code error} is what the caller gets, null on success. */
        void ended(AcquireOutcome outcome, SQLException error);
    }
}
