package dev.pool.engine;

import dev.pool.RejectionReason;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeUnit;

/**
 * Decides, as a caller joins the queue, whether it may wait at all (SPEC "Overload protection"):
 * <ul>
 *   <li><b>max-pending</b>: with that many waiting already, the caller fails at once;</li>
 *   <li><b>early rejection</b>: every connection is lent, none is opening and the pool is at
 *       {@code max-size}, so the caller is served by returns alone, in turn. With {@code n} waiting
 *       ahead of it, {@code c} connections and a recent mean hold {@code h} ({@link HoldTimes}), its
 *       turn comes after about {@code (n + 1) * h / c}; if that, padded by an eighth, plus one hold
 *       does not fit in its remaining wait, it fails now rather than at its timeout. The extra hold
 *       is the margin: a connection handed over as the caller's time runs out is of no use to it
 *       either, and a caller admitted with a margin is still served in time when the holds in front
 *       of it run a little long. One whose margin is gone by its turn passes the connection on
 *       ({@link #tooLateToUse}).</li>
 * </ul>
 * Why not the lend rate: under light load it is low and would predict huge waits from a quiet pool;
 * hold times say how fast a busy pool turns its connections over, whatever the load.
 * Nothing is predicted while a connection is idle, the pool may grow, or no contended lease has
 * been measured: the prediction only speaks when the queue is the only way to a connection. Under
 * load the pool can serve, the queue stays short and the predicted wait is a few holds, far inside
 * any sensible timeout. Where to turn it off: the README, "Overload protection".
 *
 * <p>{@code ahead} comes from the bag's atomic count of waiters as the caller joins, so max-pending
 * admits exactly that many at once.
 */
final class Admission {

    /**
     * The prediction is padded by 1/8 of itself: the holds ahead of a waiter are not the ones
     * measured so far, and a waiter whose margin runs out is failed at its hand-off, late
     * ({@link #tooLateToUse}). Measured at twice the capacity (300 ms budgets, 5 ms holds): with no
     * padding, served calls came 289 ms (p50) to 302 ms (p99) after arrival and the p99 failure
     * came at the hand-off, after 298 ms; with 1/8 they came 267-300 ms and the p99 failure after
     * 12 ms (one run; with 1/4 it was no better on that noisy machine).
     */
    static final int SLACK_DIVISOR = 8;

    private final String poolName;
    private final int maxPending;
    private final boolean earlyRejection;
    private final ConnectionBag bag;
    private final ConnectionSupply supply;
    private final PoolSizes sizes;
    private final HoldTimes holds;

    Admission(String poolName, int maxPending, boolean earlyRejection, ConnectionBag bag, ConnectionSupply supply, PoolSizes sizes,
            HoldTimes holds) {
        this.poolName = poolName;
        this.maxPending = maxPending;
        this.earlyRejection = earlyRejection;
        this.bag = bag;
        this.supply = supply;
        this.sizes = sizes;
        this.holds = holds;
    }

    /**
     * Why a caller with {@code ahead} waiters in front of it and {@code waitNanos} left may not
     * wait, or null if it may.
     */
    RejectionReason judge(int ahead, long waitNanos) {
        if (maxPending > 0 && ahead >= maxPending) {
            return RejectionReason.QUEUE_FULL;
        }
        if (!earlyRejection) {
            return null;
        }
        long hold = holds.meanNanos();
        if (hold == 0 || supply.allocated() < sizes.maxSize()) {
            return null;
        }
        PooledConnection[] all = bag.entries();
        if (all.length == 0 || all.length < supply.allocated() || bag.idleCount() > 0) {
            return null; // a connect in flight, or one free: the queue is not the only way
        }
        long predicted = (ahead + 1L) * hold / all.length;
        return predicted + predicted / SLACK_DIVISOR + hold > waitNanos ? RejectionReason.PREDICTED_TIMEOUT : null;
    }

    /**
     * Whether a waiter handed a connection with {@code leftNanos} of its wait to go should rather
     * fail, if another caller waits: with early rejection on, when less than one recent hold is left. It was admitted on the
     * prediction that its turn leaves a hold to spare; when the holds ahead ran long and that margin
     * is gone, the connection goes to the next waiter, who can still use it in time, instead of
     * being spent on a caller whose time runs out while it uses it (measured: at twice the capacity,
     * these were a quarter of the calls served, each late).
     */
    boolean tooLateToUse(long leftNanos) {
        return earlyRejection && leftNanos < holds.meanNanos();
    }

    SQLTransientConnectionException tooLate(long leftNanos) {
        return new SQLTransientConnectionException("Pool '" + poolName + "': predicted-timeout: a connection came with "
                + millis(Math.max(0, leftNanos)) + " ms of the caller's wait left, less than a recent hold (" + millis(holds.meanNanos())
                + " ms); passed to the next caller instead (early-rejection; set pool.early-rejection=false to take it anyway)");
    }

    /** The caller's exception for a rejection; its message names the pool, the counts and the property. */
    SQLTransientConnectionException rejection(RejectionReason reason, int ahead, long waitNanos) {
        String message;
        if (reason == RejectionReason.QUEUE_FULL) {
            message = "Pool '" + poolName + "': queue full: " + ahead + " callers pending already, pool.max-pending is " + maxPending
                    + "; failed at once instead of waiting";
        } else {
            long hold = holds.meanNanos();
            int connections = Math.max(1, bag.entries().length);
            message = "Pool '" + poolName + "': predicted-timeout: all " + connections + " connections busy, " + ahead
                    + " callers pending ahead, recent hold " + millis(hold) + " ms: a connection would come in about "
                    + millis((ahead + 1L) * hold / connections) + " ms, too late for the " + millis(waitNanos)
                    + " ms left to wait; failed at once (early-rejection; set pool.early-rejection=false to wait anyway)";
        }
        return new SQLTransientConnectionException(message);
    }

    /** Milliseconds with one decimal, without a formatter: rejections come by the thousand a second. */
    private static String millis(long nanos) {
        long tenths = nanos / 100_000;
        return tenths / 10 + "." + tenths % 10;
    }
}
