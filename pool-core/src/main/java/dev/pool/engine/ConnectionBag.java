package dev.pool.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lends pool entries and takes them back, first come first served, without a lock on the way.
 *
 * <p><b>Algorithm.</b> The entries sit in an array that is copied on the rare add or remove. A
 * borrower who finds nobody queued scans the array for an {@code IDLE} entry and claims it by CAS,
 * starting at a slot picked by its thread id, so a few threads on a larger pool mostly meet their
 * own connection (what a per-thread cache buys, without the cache, which is useless and grows with
 * virtual threads). A borrower who finds somebody queued, or nothing idle, joins a FIFO queue of
 * waiters and parks. An entry coming back (a return, or a newly opened connection) is handed
 * straight to the oldest waiter, never published as idle while someone waits, so a newcomer cannot
 * overtake a queued thread and the returning thread never spins.
 *
 * <p><b>The one race.</b> A waiter may queue just after a returning thread found the queue empty.
 * Both sides write then read, so one of them always sees the other: the waiter queues and then
 * rescans for idle entries; the returner publishes {@code IDLE} and then looks at the queue again,
 * taking the entry back to hand it over if somebody arrived. A waiter that both finds an entry and
 * is handed one keeps the hand-off and gives the other back.
 */
final class ConnectionBag {

    private static final Object CANCELLED = new Object();
    private static final PooledConnection[] NONE = new PooledConnection[0];

    private final ReentrantLock structure = new ReentrantLock(); // serialises add/remove; readers use the array
    private volatile PooledConnection[] entries = NONE;
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile boolean lending = true;
    private volatile SQLException closed;

    /** The fast path: claims an idle entry if nobody is queued. Null if none. */
    PooledConnection poll() {
        if (waiting.get() != 0 || !lending) {
            return null;
        }
        return claimIdle();
    }

    /**
     * The slow path: queues behind earlier waiters until an entry is handed over or the time is up.
     * {@code onQueued} runs once the caller is visible in the queue (to open connections for it).
     *
     * @return a claimed entry, or null on timeout
     * @throws SQLException if the bag is closed or the thread is interrupted
     */
    PooledConnection await(long timeoutNanos, Runnable onQueued) throws SQLException {
        Waiter waiter = new Waiter();
        waiting.incrementAndGet();
        waiters.add(waiter);
        onQueued.run();
        if (closed != null) {
            return cancelOrTake(waiter, closed);
        }
        if (lending) {
            PooledConnection found = claimIdle();
            if (found != null) {
                if (complete(waiter, CANCELLED)) {
                    waiters.remove(waiter);
                    return found;
                }
                giveBack(found); // served meanwhile: keep the hand-off, which was meant for us
            }
        }
        long deadline = System.nanoTime() + timeoutNanos;
        for (;;) {
            Object outcome = waiter.outcome;
            if (outcome != null) {
                return resolve(outcome);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return cancelOrTake(waiter, null);
            }
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return cancelOrTake(waiter, new SQLException("Interrupted while waiting for a connection", "08001", new InterruptedException()));
            }
        }
    }

    /** Settles a waiter once; it stops counting as waiting the moment it is served, not when it wakes. */
    private boolean complete(Waiter waiter, Object outcome) {
        if (waiter.complete(outcome)) {
            waiting.decrementAndGet();
            return true;
        }
        return false;
    }

    /** Gives up waiting, unless an entry arrived at the last moment, which is then taken. */
    private PooledConnection cancelOrTake(Waiter waiter, SQLException failure) throws SQLException {
        if (complete(waiter, CANCELLED)) {
            waiters.remove(waiter);
            if (failure != null) {
                throw failure;
            }
            return null;
        }
        return resolve(waiter.outcome);
    }

    private static PooledConnection resolve(Object outcome) throws SQLException {
        if (outcome instanceof PooledConnection entry) {
            entry.lend();
            return entry;
        }
        throw (SQLException) outcome;
    }

    /** Returns an entry this thread claimed but cannot use to circulation. */
    private void giveBack(PooledConnection entry) {
        if (entry.endLease(entry.word())) {
            offer(entry);
        }
    }

    /**
     * Puts an entry the caller owns ({@code RESERVED}) back into circulation: to the oldest waiter
     * if anyone waits, else as idle.
     */
    void offer(PooledConnection entry) {
        for (;;) {
            if (lending) {
                Waiter waiter;
                while ((waiter = waiters.poll()) != null) {
                    if (complete(waiter, entry)) {
                        LockSupport.unpark(waiter.thread);
                        return;
                    }
                }
            }
            entry.publishIdle();
            // the race in the class comment: look again after publishing
            if (!lending || waiters.isEmpty() || !entry.tryReserve()) {
                return;
            }
        }
    }

    private PooledConnection claimIdle() {
        PooledConnection[] all = entries;
        int n = all.length;
        if (n == 0) {
            return null;
        }
        int i = (int) (Thread.currentThread().getId() % n);
        for (int scanned = 0; scanned < n; scanned++) {
            PooledConnection entry = all[i];
            if (entry.tryClaim() != -1) {
                return entry;
            }
            if (++i == n) {
                i = 0;
            }
        }
        return null;
    }

    /** Adds a new entry, still owned by the caller; {@link #offer} it to put it in circulation. */
    void add(PooledConnection entry) {
        structure.lock();
        try {
            PooledConnection[] grown = Arrays.copyOf(entries, entries.length + 1);
            grown[grown.length - 1] = entry;
            entries = grown;
        } finally {
            structure.unlock();
        }
    }

    /** Removes an entry the caller owns. */
    void remove(PooledConnection entry) {
        structure.lock();
        try {
            PooledConnection[] all = entries;
            for (int i = 0; i < all.length; i++) {
                if (all[i] == entry) {
                    PooledConnection[] shrunk = new PooledConnection[all.length - 1];
                    System.arraycopy(all, 0, shrunk, 0, i);
                    System.arraycopy(all, i + 1, shrunk, i, all.length - i - 1);
                    entries = shrunk;
                    return;
                }
            }
        } finally {
            structure.unlock();
        }
    }

    /** Every entry, in whatever state. */
    PooledConnection[] entries() {
        return entries;
    }

    /** Threads in {@link #await} not yet served. */
    int waiting() {
        return waiting.get();
    }

    /** Stops or restarts lending; while stopped, returns go idle and waiters keep waiting. */
    void setLending(boolean lend) {
        lending = lend;
        if (lend) {
            for (PooledConnection entry : entries) {
                if (waiters.isEmpty()) {
                    return;
                }
                if (entry.tryReserve()) {
                    offer(entry);
                }
            }
        }
    }

    /** Stops lending for good and fails every waiter, present and future, with {@code error}. */
    void close(SQLException error) {
        closed = error;
        lending = false;
        Waiter waiter;
        while ((waiter = waiters.poll()) != null) {
            if (complete(waiter, error)) {
                LockSupport.unpark(waiter.thread);
            }
        }
    }

    /** A parked borrower. {@code outcome} goes once from null to an entry, an error or CANCELLED. */
    private static final class Waiter {

        private static final VarHandle OUTCOME;

        static {
            try {
                OUTCOME = MethodHandles.lookup().findVarHandle(Waiter.class, "outcome", Object.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final Thread thread = Thread.currentThread();
        volatile Object outcome;

        boolean complete(Object value) {
            return OUTCOME.compareAndSet(this, null, value);
        }
    }
}
