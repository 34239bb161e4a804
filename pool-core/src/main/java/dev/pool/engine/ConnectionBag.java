package dev.pool.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Lends pool entries and takes them back without a lock on the way, and never lets a waiter starve.
 *
 * <p><b>Lending.</b> The entries sit in an array that is copied on the rare add or remove. A
 * borrower scans it for an {@code IDLE} entry and claims it by CAS, starting where a thread with
 * its id (modulo 64) last found one, so a running thread nearly always meets the connection it just
 * returned (what a per-thread cache buys, without the cache, which is useless and grows with
 * virtual threads: the hints are a fixed table). A borrower who finds nothing joins a FIFO queue of
 * waiters and parks.
 *
 * <p><b>Two modes.</b> Strict first-come-first-served hand-off alone turns a busy pool into a convoy:
 * every returned connection goes to a parked thread, sits unused until the scheduler runs it, and
 * the returning thread must park behind it, one context switch per borrow (measured: 100x fewer
 * borrows a second than a pool that lets threads barge). So, like Go's {@code sync.Mutex}:
 * <ul>
 *   <li><i>Normal mode.</i> A returned entry is published {@code IDLE} and the oldest waiter is
 *       unparked to compete for it, unless it is already on its way (one woken waiter at a time); a
 *       running newcomer may take it first. Connections never sit unused while someone runs.</li>
 *   <li><i>Starving mode</i>, entered when a waiter has waited {@link #FAIRNESS_WINDOW_NANOS} and
 *       still has nothing: returned entries are handed straight to the oldest waiter and newcomers
 *       queue behind. It ends once every waiter queued when it began has been served, or nobody is
 *       left waiting, and the window then starts afresh for everyone still queued: each convoy of
 *       hand-offs is bounded, and between convoys the pool runs at barging speed for at least the
 *       window. (Ending it only when a served waiter had waited less than the window, as Go does,
 *       never ended it here: on 2 cores every hand-off waits milliseconds for the scheduler, and
 *       the contended cycle fell from 40,000 to 5,000 ops/ms for whole seconds.)</li>
 * </ul>
 * No waiter waits much beyond the window plus one convoy while others are being served, yet an
 * uncontended or briefly contended pool runs at barging speed. The returning thread never spins.
 *
 * <p><b>The one race.</b> A waiter may queue (or clear its "woken" flag) just after a returning
 * thread looked. Both sides write then read, so one of them always sees the other: the waiter
 * queues, clears its flag and then rescans for idle entries; the returner publishes {@code IDLE}
 * and then looks at the queue and the flag. A waiter that both finds an entry and is handed one
 * keeps the hand-off and gives the other back. A waiter that a return woke and that leaves without
 * looking (interrupted, timed out) wakes the next one in its place.
 *
 * <p><b>Closing.</b> {@link #close} fails every waiter and stops lending for good; from then on every
 * entry offered, by whatever path, goes to the discard the closer gave, never back to idle.
 * {@link #startEmptying} does the same while lending is stopped, without failing the waiters, until
 * {@link #stopEmptying}: for a quiesced pool.
 */
final class ConnectionBag {

    /**
     * How long a waiter may lose to barging newcomers before returns are handed to waiters in order.
     * Go's mutex uses 1 ms, and so does this: measured against 250 us and 5 ms on the contended JMH
     * cycle (32 threads, 8 connections, 2 cores), 1 ms gave the steadiest throughput and a p99.9
     * half HikariCP's; under real overload every waiter passes it within the first millisecond anyway.
     */
    static final long FAIRNESS_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /**
     * How often a woken waiter that lost the entry to a newcomer yields and looks again before it
     * parks. While it does, returns see it as woken and skip the unpark, a system call on the
     * returning thread's path. Measured on the contended JMH cycle (3 runs of 2 forks each): 4 gave
     * 44,600-49,900 ops/ms against 38,900-44,200 with none; 16 was no better than 4.
     */
    static final int WOKEN_YIELDS = 4;

    private static final int HINTS = 64;
    private static final int HINT_STRIDE = 16; // ints per 64-byte cache line

    private static final Object CANCELLED = new Object();
    private static final PooledConnection[] NONE = new PooledConnection[0];

    /**
     * Where each thread last found an idle entry, by thread id modulo {@link #HINTS}, one cache line
     * apart so threads do not invalidate each other's hints. Threads that share a hint only scan
     * further. Measured on the contended JMH cycle: the first slot tried was free for 35% of borrows
     * when the scan started at the thread id's slot, 99.99% with the hint.
     */
    private final int[] hints = new int[HINTS * HINT_STRIDE];
    private final ReentrantLock structure = new ReentrantLock(); // serialises add/remove; readers use the array
    private volatile PooledConnection[] entries = NONE;
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong tickets = new AtomicLong(); // numbers waiters in the order they queue
    private volatile boolean starving;
    private volatile long starvingThrough; // the last ticket queued when starving mode began
    private volatile long normalSince = System.nanoTime(); // when starving mode last ended
    private volatile boolean lending = true;
    private volatile SQLException closed;
    /** Set by {@link #close} before {@code closed}: where entries offered after close go. */
    private volatile Consumer<PooledConnection> discard;
    /** Set by {@link #startEmptying}: where entries offered while lending is stopped go, until {@link #stopEmptying}. */
    private volatile Consumer<PooledConnection> emptying;

    /** The fast path: claims an idle entry unless waiters are being served in order. Null if none. */
    PooledConnection poll() {
        if (!lending || (starving && waiting.get() != 0)) { // starving first: rarely written, so rarely a cache miss
            return null;
        }
        return claimIdle();
    }

    /**
     * The slow path: waits in the queue until an entry is handed over, found idle, or the time is up.
     * {@code gate} is asked first, with the number of callers waiting ahead, and may refuse by
     * throwing; {@code onQueued} runs once the caller is visible in the queue (to open connections
     * for it, to look for a deadlock).
     *
     * @return a claimed entry, or null on timeout
     * @throws SQLException if the bag is closed or the thread is interrupted
     */
    PooledConnection await(long timeoutNanos, Gate gate, Runnable onQueued) throws SQLException {
        int ahead = waiting.getAndIncrement();
        try {
            gate.admit(ahead);
        } catch (SQLException | RuntimeException e) {
            waiting.decrementAndGet();
            throw e;
        }
        Waiter waiter = new Waiter(tickets.incrementAndGet());
        waiters.add(waiter);
        onQueued.run();
        long deadline = waiter.since + timeoutNanos;
        int yields = 0;
        for (;;) {
            Object outcome = waiter.outcome;
            if (outcome != null) {
                return served(waiter, outcome);
            }
            if (closed != null) {
                return cancelOrTake(waiter, closed);
            }
            boolean onItsWay = waiter.woken && yields < WOKEN_YIELDS;
            if (!onItsWay) {
                waiter.woken = false; // from here on, a return must wake us again
            }
            if (lending) {
                PooledConnection found = claimIdle();
                if (found != null) {
                    if (complete(waiter, CANCELLED)) {
                        waiters.remove(waiter);
                        wakeNext();
                        return found;
                    }
                    giveBack(found); // served meanwhile: keep the hand-off, which was meant for us
                    continue;
                }
            }
            if (onItsWay) {
                yields++;
                Thread.yield();
                continue;
            }
            long now = System.nanoTime();
            long waited = now - Math.max(waiter.since, normalSince); // lost to barging newcomers this long
            if (waited >= FAIRNESS_WINDOW_NANOS && !starving) {
                starvingThrough = tickets.get();
                starving = true;
                continue; // entries returned from now on come to the queue; look once more before parking
            }
            long left = deadline - now;
            if (left <= 0) {
                return cancelOrTake(waiter, null);
            }
            LockSupport.parkNanos(this, starving ? left : Math.min(left, FAIRNESS_WINDOW_NANOS - waited));
            yields = 0;
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return cancelOrTake(waiter, new SQLException("Interrupted while waiting for a connection", "08001", new InterruptedException()));
            }
        }
    }

    /**
     * A hand-off arrived: ends starving mode once every waiter that was queued when it began has been
     * served (or nobody is left). Waiters that queued later did so because of the mode, not because
     * newcomers overtook them, so they do not prolong it.
     */
    private PooledConnection served(Waiter waiter, Object outcome) throws SQLException {
        if (outcome instanceof PooledConnection && starving && (waiter.ticket >= starvingThrough || waiters.isEmpty())) {
            endStarving();
        }
        return resolve(outcome);
    }

    private void endStarving() {
        normalSince = System.nanoTime();
        starving = false;
    }

    /** Settles a waiter once; it stops counting as waiting the moment it is served, not when it wakes. */
    private boolean complete(Waiter waiter, Object outcome) {
        if (waiter.complete(outcome)) {
            waiting.decrementAndGet();
            return true;
        }
        return false;
    }

    /**
     * Gives up waiting, unless an entry arrived at the last moment, which is then taken. A waiter
     * that a return woke and that leaves without looking (interrupted, or timed out just then)
     * passes the wake-up on: returns wake one waiter at a time, so nobody else would be woken for
     * that entry, and a waiter parked while starving mode lasted sleeps until its own timeout.
     */
    private PooledConnection cancelOrTake(Waiter waiter, SQLException failure) throws SQLException {
        if (complete(waiter, CANCELLED)) {
            waiters.remove(waiter);
            if (waiter.woken) {
                wakeNext();
            }
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
     * Puts an entry the caller owns ({@code RESERVED}) back into circulation: in starving mode to the
     * oldest waiter, otherwise as idle, waking the oldest waiter not yet woken to compete for it.
     */
    void offer(PooledConnection entry) {
        for (;;) {
            if (lending && starving) {
                Waiter waiter;
                while ((waiter = waiters.poll()) != null) {
                    entry.contendedSince = System.nanoTime(); // slow path: the hand-off's delay counts as hold (HoldTimes)
                    if (complete(waiter, entry)) {
                        LockSupport.unpark(waiter.thread);
                        return;
                    }
                }
                endStarving(); // nobody left to starve
            }
            entry.publishIdle();
            if (!lending) {
                discardIfStopped(entry);
                return;
            }
            if (waiters.isEmpty()) {
                return;
            }
            // the race in the class comment: somebody waits, so hand it over (starving) or wake them
            if (starving) {
                if (entry.tryReserve()) {
                    continue;
                }
                return;
            }
            wakeNext();
            return;
        }
    }

    /**
     * After {@link #close}, an entry offered (a return, a waiter giving back what it claimed as close
     * failed it, a resume) goes to the discard, never stays idle; so does one offered while
     * {@link #startEmptying emptying}. The entry is published first and {@code closed} (or
     * {@code emptying}) read after, while close (or the quiescing pool) writes it and then sweeps
     * idle entries: one of the two sees the other, and whoever reserves the entry first retires it.
     */
    private void discardIfStopped(PooledConnection entry) {
        Consumer<PooledConnection> to = closed != null ? discard : emptying;
        if (to != null && entry.tryReserve()) {
            to.accept(entry);
        }
    }

    /**
     * Unparks the oldest waiter, unless it was woken already and has not looked yet: one waiter on
     * its way at a time, as in Go's mutex. Waking the next one on every return instead woke them all,
     * a context switch per borrow. The waiter that gets an entry wakes the next if more are idle.
     */
    private void wakeNext() {
        Waiter waiter = waiters.peek();
        if (waiter != null && waiter.outcome != null) { // settled ones may linger in the queue a moment
            waiter = oldestUnsettled();
        }
        // read before the CAS: while the waiter is on its way every return sees it woken, without a write
        if (waiter != null && !waiter.woken && waiter.wake()) {
            LockSupport.unpark(waiter.thread);
        }
    }

    private Waiter oldestUnsettled() {
        for (Waiter waiter : waiters) {
            if (waiter.outcome == null) {
                return waiter;
            }
        }
        return null;
    }

    private PooledConnection claimIdle() {
        PooledConnection[] all = entries;
        int n = all.length;
        if (n == 0) {
            return null;
        }
        long id = Thread.currentThread().getId();
        int hint = (int) (id & (HINTS - 1)) * HINT_STRIDE;
        int i = hints[hint] - 1; // stored plus one: 0 is "no hint yet"
        if (i < 0 || i >= n) {
            i = (int) (id % n);
        }
        for (int scanned = 0; scanned < n; scanned++) {
            PooledConnection entry = all[i];
            if (entry.tryClaim() != -1) {
                if (scanned != 0) {
                    hints[hint] = i + 1; // plain write: a stale or shared hint only costs a longer scan
                }
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

    /** Entries idle now (a racy count: one pass over the array). */
    int idleCount() {
        int idle = 0;
        for (PooledConnection e : entries) {
            if (e.state() == PooledConnection.IDLE) {
                idle++;
            }
        }
        return idle;
    }

    /** Whether returns go to waiters in order now (starving mode). */
    boolean servesInOrder() {
        return starving;
    }

    /** Threads in {@link #await} not yet served. */
    int waiting() {
        return waiting.get();
    }

    /**
     * Stops or restarts lending; while stopped, returns go idle and waiters keep waiting. A restart
     * racing {@link #close} cannot undo it: it writes then reads {@code closed}, close writes
     * {@code closed} then clears {@code lending}, so lending ends up off either way.
     */
    void setLending(boolean lend) {
        lending = lend;
        if (lend && closed != null) {
            lending = false;
            return;
        }
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

    /** The ticket of the last waiter queued so far: waiters numbered up to it have queued by now. */
    long lastTicket() {
        return tickets.get();
    }

    /**
     * Fails the waiters queued up to {@code lastTicket} (and not served yet) with {@code error};
     * later waiters keep waiting. For a connect that failed in a way no retry fixes.
     */
    void fail(long lastTicket, SQLException error) {
        for (Iterator<Waiter> queued = waiters.iterator(); queued.hasNext();) {
            Waiter waiter = queued.next();
            if (waiter.ticket <= lastTicket && complete(waiter, error)) {
                queued.remove();
                LockSupport.unpark(waiter.thread);
            }
        }
    }

    /**
     * Fails the waiters of {@code threads} (not served yet) with {@code error}; for a pool deadlock.
     * All are settled before any is woken: a woken one returns its connections at once, and they
     * must not be handed to another of them.
     */
    void failWaiting(java.util.Set<Thread> threads, SQLException error) {
        java.util.List<Thread> failed = new java.util.ArrayList<>();
        for (Iterator<Waiter> queued = waiters.iterator(); queued.hasNext();) {
            Waiter waiter = queued.next();
            if (threads.contains(waiter.thread) && complete(waiter, error)) {
                queued.remove();
                failed.add(waiter.thread);
            }
        }
        failed.forEach(LockSupport::unpark);
    }

    /**
     * While lending is stopped, hands every entry offered to {@code discard} (which retires it)
     * instead of keeping it idle, until {@link #stopEmptying}; waiters keep waiting. The caller then
     * sweeps the entries idle already: see {@link #discardIfStopped} for why none escapes both.
     */
    void startEmptying(Consumer<PooledConnection> discard) {
        emptying = discard;
    }

    /** Entries offered are kept idle again; call before lending restarts. */
    void stopEmptying() {
        emptying = null;
    }

    /**
     * Stops lending for good and fails every waiter, present and future, with {@code error}. From
     * now on every entry offered is reserved and handed to {@code discard} (which retires it), so
     * none is left idle in a closed pool, whichever path brings it back.
     */
    void close(SQLException error, Consumer<PooledConnection> discard) {
        this.discard = discard;
        closed = error;
        lending = false;
        Waiter waiter;
        while ((waiter = waiters.poll()) != null) {
            if (complete(waiter, error)) {
                LockSupport.unpark(waiter.thread);
            }
        }
    }

    /** Asked as a caller joins the queue; throws to refuse it (max-pending, early rejection). */
    @FunctionalInterface
    interface Gate {

        Gate OPEN = ahead -> { };

        void admit(int ahead) throws SQLException;
    }

    /**
     * A parked borrower. {@code outcome} goes once from null to an entry, an error or CANCELLED;
     * {@code woken} says a return has unparked it since it last looked for an idle entry.
     */
    private static final class Waiter {

        private static final VarHandle OUTCOME;
        private static final VarHandle WOKEN;

        static {
            try {
                OUTCOME = MethodHandles.lookup().findVarHandle(Waiter.class, "outcome", Object.class);
                WOKEN = MethodHandles.lookup().findVarHandle(Waiter.class, "woken", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final Thread thread = Thread.currentThread();
        final long since = System.nanoTime();
        final long ticket;
        volatile Object outcome;
        volatile boolean woken;

        Waiter(long ticket) {
            this.ticket = ticket;
        }

        boolean complete(Object value) {
            return OUTCOME.compareAndSet(this, null, value);
        }

        boolean wake() {
            return WOKEN.compareAndSet(this, false, true);
        }
    }
}
