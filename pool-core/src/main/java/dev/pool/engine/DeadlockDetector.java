package dev.pool.engine;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds a pool deadlock: every connection lent to a thread that is itself waiting in
 * {@code getConnection()} on this pool for another one (nested borrows, {@code REQUIRES_NEW} inside
 * a transaction), so no return can ever come. Those waiters are failed at once instead of at their
 * timeout, with the borrow sites and the smallest {@code max-size} that avoids it.
 *
 * <p><b>How.</b> A caller about to wait marks the entries it holds with the lease it holds them by
 * ({@link #markHeld}) once it is in the queue, then looks ({@link #check}): every entry lent, still on the
 * lease its holder marked, at {@code max-size} with no connect in flight. Two callers that complete
 * a cycle both mark, then look, so the later of the two sees the other's marks: the one race is
 * covered without a lock. A lease that ends (returned, reclaimed) changes the entry's word, so a
 * stale mark never matches; a caller leaving the queue removes its marks. All of it runs only on the
 * slow path, on the waiting thread; the fast path neither writes nor reads a mark.
 */
final class DeadlockDetector {

    private final String poolName;
    private final ConnectionBag bag;
    private final ConnectionSupply supply;
    private final PoolSizes sizes;

    DeadlockDetector(String poolName, ConnectionBag bag, ConnectionSupply supply, PoolSizes sizes) {
        this.poolName = poolName;
        this.bag = bag;
        this.supply = supply;
        this.sizes = sizes;
    }

    /** Before waiting: marks the entries this thread holds. True if it holds any. */
    boolean markHeld() {
        Thread me = Thread.currentThread();
        boolean holds = false;
        for (PooledConnection entry : bag.entries()) {
            long word = entry.word();
            if (entry.borrower == me && PooledConnection.stateOf(word) == PooledConnection.BORROWED) {
                entry.waitingHolder = me;
                entry.waitingLease = word; // volatile: publishes the holder
                holds = true;
            }
        }
        return holds;
    }

    /** After waiting, however it ended: removes this thread's marks. */
    void unmarkHeld() {
        Thread me = Thread.currentThread();
        for (PooledConnection entry : bag.entries()) {
            if (entry.waitingLease != -1 && entry.waitingHolder == me) {
                entry.waitingLease = -1;
            }
        }
    }

    /** Once queued: fails the deadlocked waiters, if every connection is held by one. */
    void check() {
        PooledConnection[] all = bag.entries();
        int allocated = supply.allocated();
        if (all.length == 0 || allocated < sizes.maxSize() || all.length < allocated) {
            return; // room to grow, or a connect in flight: a connection may yet come
        }
        Map<Thread, Integer> holders = new LinkedHashMap<>();
        for (PooledConnection entry : all) {
            long lease = entry.waitingLease;
            Thread holder = entry.waitingHolder;
            if (lease == -1 || entry.word() != lease || holder == null) {
                return;
            }
            holders.merge(holder, 1, Integer::sum);
        }
        bag.failWaiting(holders.keySet(), new Found(message(holders)));
    }

    private String message(Map<Thread, Integer> holders) {
        int each = holders.values().stream().mapToInt(Integer::intValue).max().orElse(1) + 1;
        int threads = holders.size();
        StringBuilder text = new StringBuilder("Pool '").append(poolName).append("': deadlock: all ").append(sizes.maxSize())
                .append(" connections are held by ").append(threads).append(" thread(s) each waiting in getConnection() for another")
                .append(" (nested borrows); none can ever be returned. Borrow sites:");
        holders.forEach((thread, held) -> text.append("\n  thread '").append(thread.getName()).append("' holding ").append(held)
                .append(", waiting at ").append(CallSite.of(thread.getStackTrace())));
        return text.append("\nThe smallest safe max-size is ").append(threads * (each - 1) + 1).append(" (").append(threads)
                .append(" threads x (").append(each).append(" connections each - 1) + 1); better, borrow once per thread.").toString();
    }

    /** What a deadlocked waiter is failed with in the bag; the pool throws each its own copy. */
    static final class Found extends SQLException {

        Found(String message) {
            super(message);
        }
    }
}
