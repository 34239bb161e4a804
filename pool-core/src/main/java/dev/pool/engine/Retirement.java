package dev.pool.engine;

import dev.pool.EvictionReason;
import java.util.concurrent.RejectedExecutionException;

/**
 * Takes connections out of the pool for good. An entry the caller owns leaves the bag at once; its
 * physical close (after a rollback, for one taken from a borrower) runs on the upkeep lane, and its
 * slot under {@code max-size} is freed only once that close has returned, so the database never
 * sees more than {@code max-size} connections from the pool, even while retired ones are closing.
 * The freed slot is handed straight back to the supply, which opens a replacement if one is needed.
 */
final class Retirement {

    private final String poolName;
    private final ConnectionBag bag;
    private final ConnectionSupply supply;
    private final Events events;
    private final Workers workers;

    Retirement(String poolName, ConnectionBag bag, ConnectionSupply supply, Events events, Workers workers) {
        this.poolName = poolName;
        this.bag = bag;
        this.supply = supply;
        this.events = events;
        this.workers = workers;
    }

    /** Closes an entry the caller owns; counts an eviction if {@code reason} is given (closing the pool does not). */
    void retire(PooledConnection entry, EvictionReason reason) {
        leave(entry);
        if (reason != null) {
            events.evicted(reason);
        }
        boolean reclaimed = entry.reclaimedLease != -1;
        Runnable close = () -> {
            JfrEvents.Close event = JfrEvents.recording ? JfrEvents.closeBegins() : null;
            try {
                if (reclaimed) {
                    Connector.rollbackAndClose(entry.raw);
                } else {
                    Connector.closeQuietly(entry.raw);
                }
            } finally {
                if (event != null) {
                    JfrEvents.closeEnds(event, poolName, reason);
                }
                supply.released();
                supply.replenish();
            }
        };
        try {
            workers.upkeep(close);
        } catch (RejectedExecutionException closing) {
            close.run(); // the pool has stopped its threads: close here
        }
        supply.replenish(); // while this one closes, a free slot may open its replacement now
    }

    /** Retires every idle connection now; counted as evictions if {@code reason} is given. */
    void retireIdle(EvictionReason reason) {
        for (PooledConnection entry : bag.entries()) {
            if (entry.tryReserve()) {
                retire(entry, reason);
            }
        }
    }

    /**
     * Closes every idle connection on the caller's thread: each has been closed when this returns.
     * For quiesce, whose caller (a checkpoint) goes on only once the database has no connection
     * left from the pool. Not counted as evictions, as closing the pool is not.
     */
    void closeIdleNow() {
        for (PooledConnection entry : bag.entries()) {
            if (entry.tryReserve()) {
                closeNow(entry);
            }
        }
    }

    /**
     * Closes a connection the caller owns on the caller's thread: one whose lease the caller has
     * just ended, so the borrower's next call fails now (a close() whose shutdown-timeout has
     * passed), or an idle one (quiesce).
     */
    void closeNow(PooledConnection entry) {
        leave(entry);
        JfrEvents.Close event = JfrEvents.recording ? JfrEvents.closeBegins() : null;
        try {
            Connector.closeQuietly(entry.raw);
        } finally {
            if (event != null) {
                JfrEvents.closeEnds(event, poolName, null);
            }
            supply.released();
        }
    }

    private void leave(PooledConnection entry) {
        entry.markClosed();
        bag.remove(entry);
        events.retiredBorrows.add(entry.borrowCount);
    }
}
