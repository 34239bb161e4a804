package dev.pool.engine;

import dev.pool.PoolState;
import dev.pool.UrlMasker;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens connections when they are needed, and counts the pool's slots: never more than
 * {@code max-size} connections open, opening and closing together.
 *
 * <p><b>Demand.</b> What is needed is worked out each time ({@link #connectionsNeeded()}): one per
 * waiting borrower, plus what {@code min-idle}, {@code initial-size} (during warm-up) and
 * {@code min-size} (once reached) ask for, less the idle connections, those out for validation,
 * and those being opened. Nothing while the pool is suspended. Decisions are serialised by a
 * work-in-progress counter, so concurrent callers never open two connections for one need and
 * nobody blocks. Connects run in parallel on the connect lane, never on a borrower's thread.
 *
 * <p><b>Slots.</b> A connect holds a slot from the moment it is queued until the driver answers,
 * however late; a connection holds one until its physical close has returned. A connect past
 * {@code connect-timeout} counts as failed at once (the backoff starts, waiting borrowers see the
 * error) and no longer as being opened, but keeps its slot until the driver gives up, and what it
 * opens then is closed.
 *
 * <p><b>Backoff.</b> After a failed connect only one attempt is in flight at a time, spaced 50 ms
 * and doubling to 250 ms: a database that is down sees at most 20 attempts a second however many
 * borrowers wait, and one that comes back is found within a quarter of a second. A success ends it:
 * a connection the pool took in (one it refuses, as the primary-role guard does one that reached a
 * standby, counts as failed).
 *
 * <p><b>Errors no retry fixes.</b> A connect refused for a wrong password or a database that does
 * not exist fails the same way every time until someone fixes it, so the callers waiting for it are
 * told at once ({@link #cannotSucceed}: those queued when the connect began, as the bag numbers
 * them) instead of at their timeout. The backoff is unchanged: the next caller gets a connect of
 * its own, which may find the password fixed.
 */
final class ConnectionSupply {

    /** Puts a new physical connection into circulation (the pool wraps it as an entry). */
    @FunctionalInterface
    interface Admission {
        void admit(Connection raw, long tookNanos) throws SQLException;
    }

    private static final Logger log = LoggerFactory.getLogger(ConnectionSupply.class);
    static final long FIRST_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    static final long MAX_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final String poolName;
    private final long connectTimeoutNanos;
    private final Connector connector;
    private final PoolSizes sizes;
    private final Lifecycle lifecycle;
    private final ConnectionBag bag;
    private final Events events;
    private final Workers workers;
    private final Scheduler scheduler;
    private final Admission admission;

    /** Slots taken: connections open or closing, and connects queued, running or overdue. Never above max-size. */
    private final AtomicInteger allocated = new AtomicInteger();
    /** Connects that count as being opened: queued or running, and within connect-timeout. */
    private final AtomicInteger opening = new AtomicInteger();
    /** Connects holding a slot: queued, running, or past connect-timeout and still in the driver. */
    private final AtomicInteger connecting = new AtomicInteger();
    /** Entries out for validation: each will come back or be replaced, so they count as supply. */
    private final AtomicInteger validating = new AtomicInteger();
    private final AtomicInteger work = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicBoolean retryScheduled = new AtomicBoolean();
    private volatile long retryAt;
    private volatile SQLException lastError;
    /** The size min-size protects: min-size, or the most the pool has held if that is less. */
    private final AtomicInteger floor = new AtomicInteger();

    /** Warm-up: how many connections start-up waits for (0 once done), and how many have come. */
    private volatile int warmTarget;
    private final AtomicInteger warmed = new AtomicInteger();
    private final CompletableFuture<Void> warmedUp = new CompletableFuture<>();

    /** close() and quiesce() wait on this for the slots of connections to be freed. */
    private final ReentrantLock releaseLock = new ReentrantLock();
    private final Condition releasedCondition = releaseLock.newCondition();

    ConnectionSupply(String poolName, long connectTimeoutNanos, Connector connector, PoolSizes sizes, Lifecycle lifecycle,
                     ConnectionBag bag, Events events, Workers workers, Scheduler scheduler, Admission admission) {
        this.poolName = poolName;
        this.connectTimeoutNanos = connectTimeoutNanos;
        this.connector = connector;
        this.sizes = sizes;
        this.lifecycle = lifecycle;
        this.bag = bag;
        this.events = events;
        this.workers = workers;
        this.scheduler = scheduler;
        this.admission = admission;
    }

    // ---- demand --------------------------------------------------------------------------------

    /** Opens what the pool needs now, in the background. Cheap to call often; never blocks. */
    void replenish() {
        if (allocated.get() >= sizes.maxSize()) {
            return; // nothing may open; whoever frees a slot (or raises max-size) replenishes after
        }
        if (work.getAndIncrement() != 0) {
            return; // the thread already deciding will look again for us
        }
        int missed = 1;
        do {
            openWhatIsNeeded();
            missed = work.addAndGet(-missed);
        } while (missed != 0);
    }

    /** Connections wanted now beyond those open and opening. */
    int connectionsNeeded() {
        if (lifecycle.isSuspended()) {
            // suspend is for when the database should not be bothered (a failover, a maintenance
            // window, a checkpoint): nothing is opened, neither for waiters nor for min-idle or min-size
            return 0;
        }
        int total = bag.entries().length;
        // waiters take idle connections first (a woken waiter may not have claimed its one yet), and
        // connections out for validation will come back; what is left of waiters and min-idle needs opening
        int need = bag.waiting() + sizes.minIdle() - bag.idleCount() - validating.get();
        need = Math.max(need, warmTarget - total);
        need = Math.max(need, floor.get() - total); // replace what retirement took below the floor
        return need;
    }

    private void openWhatIsNeeded() {
        for (;;) {
            // in flight, read before the pool is counted: a connect that lands in between is counted
            // twice (opening and in the pool), so this may open one too few (the landing connect
            // replenishes again) but never one too many. Read after, it opened an extra connection
            // about once in 300 retire-and-replace rounds.
            int inFlight = opening.get();
            if (lifecycle.isClosed() || connectionsNeeded() - inFlight <= 0) {
                return;
            }
            if (failures.get() > 0) {
                if (opening.get() > 0) {
                    return; // one probe at a time while the database refuses
                }
                long wait = retryAt - System.nanoTime();
                if (wait > 0) {
                    scheduleRetry(wait);
                    return;
                }
            }
            if (!reserveSlot()) {
                return;
            }
            opening.incrementAndGet();
            connecting.incrementAndGet();
            try {
                workers.connect(new Attempt());
            } catch (RejectedExecutionException shuttingDown) {
                opening.decrementAndGet();
                connecting.decrementAndGet();
                freeSlot();
                return;
            }
            if (failures.get() > 0) {
                return;
            }
        }
    }

    private boolean reserveSlot() {
        for (;;) {
            int now = allocated.get();
            if (now >= sizes.maxSize()) {
                return false;
            }
            if (allocated.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    private void scheduleRetry(long delayNanos) {
        if (retryScheduled.compareAndSet(false, true)) {
            if (scheduler.after(() -> {
                retryScheduled.set(false);
                replenish();
            }, delayNanos) == null) {
                retryScheduled.set(false); // stopped: the pool is closing
            }
        }
    }

    // ---- one connect ---------------------------------------------------------------------------

    /** One physical connect; see the class comment for its slot and its deadline. */
    private final class Attempt implements Runnable {

        private static final int QUEUED = 0;
        private static final int RUNNING = 1;
        private static final int ANSWERED = 2;
        private static final int OVERDUE = 3;
        private static final int CANCELLED = 4;

        private final AtomicInteger state = new AtomicInteger(QUEUED);
        /** The ticket of the last caller queued when this connect began: the callers it is for. */
        private volatile long queuedBefore;

        /** On a connect thread. */
        @Override
        public void run() {
            if (!state.compareAndSet(QUEUED, RUNNING)) {
                return;
            }
            queuedBefore = bag.lastTicket();
            Future<?> deadline = connectTimeoutNanos > 0 ? scheduler.after(this::overdue, connectTimeoutNanos) : null;
            long start = System.nanoTime();
            JfrEvents.Open event = JfrEvents.recording ? JfrEvents.openBegins() : null;
            Connection raw = null;
            Throwable failure = null;
            try {
                raw = connector.connect();
            } catch (Throwable e) { // an Error from a driver must not keep the slot forever either
                failure = e;
            }
            long took = System.nanoTime() - start;
            if (event != null) {
                JfrEvents.openEnds(event, poolName, failure == null);
            }
            if (deadline != null) {
                deadline.cancel(false);
            }
            if (!state.compareAndSet(RUNNING, ANSWERED)) { // overdue: counted as failed already
                if (raw != null) {
                    Connector.closeQuietly(raw);
                }
                connecting.decrementAndGet();
                freeSlot();
            } else if (failure == null) {
                admit(raw, took);
            } else {
                opening.decrementAndGet();
                connecting.decrementAndGet();
                failed(failure, queuedBefore);
                freeSlot();
            }
            replenish();
        }

        private void admit(Connection raw, long took) {
            try {
                admission.admit(raw, took); // hands it to a waiter or the idle set, or retires it if the pool closed
            } catch (Throwable e) {
                opening.decrementAndGet();
                connecting.decrementAndGet();
                failed(e, queuedBefore); // still failing (a new connection to a standby): the backoff keeps growing
                freeSlot();
                return;
            }
            recovered();
            connecting.decrementAndGet(); // the slot is the entry's now
            opening.decrementAndGet(); // after it is in the pool: see openWhatIsNeeded
            floor.accumulateAndGet(Math.min(bag.entries().length, sizes.minSize()), Math::max);
            if (warmTarget > 0 && warmed.incrementAndGet() >= warmTarget) {
                warmTarget = 0;
                warmedUp.complete(null); // counted after it is idle: start-up returns with every initial connection ready
            }
        }

        /** On the timer, when connect-timeout has passed. */
        private void overdue() {
            if (state.compareAndSet(RUNNING, OVERDUE)) {
                opening.decrementAndGet();
                failed(new SQLTransientConnectionException("Connect did not finish within connect-timeout ("
                        + TimeUnit.NANOSECONDS.toMillis(connectTimeoutNanos) + " ms)", "08001"), queuedBefore);
                replenish();
            }
        }

        /** Never started (the pool is closing): gives its slot back. */
        void cancel() {
            if (state.compareAndSet(QUEUED, CANCELLED)) {
                opening.decrementAndGet();
                connecting.decrementAndGet();
                freeSlot();
            }
        }
    }

    private void recovered() {
        int failed = failures.getAndSet(0);
        lastError = null;
        if (failed > 0) {
            log.info("Pool '{}' connected again after {} failed attempt(s)", poolName, failed);
        }
    }

    private void failed(Throwable e, long queuedBefore) {
        SQLException error = e instanceof SQLException sql ? sql : new SQLException(e.toString(), "08001", e);
        SQLException previous = lastError;
        lastError = error;
        int n = failures.incrementAndGet();
        long backoff = Math.min(MAX_RETRY_NANOS, FIRST_RETRY_NANOS << Math.min(n - 1, 8));
        retryAt = System.nanoTime() + backoff;
        String unfixable = SqlStates.unfixableConnectState(error);
        if (n == 1 || !Objects.equals(stateOf(previous), stateOf(error))) {
            if (unfixable != null) {
                log.warn("Pool '{}' cannot connect: {} (SQLState {}: no retry fixes this, so callers waiting for a new connection "
                        + "fail now; the pool tries again, at most every {} ms, while connections are needed)", poolName,
                        UrlMasker.mask(error.getMessage()), unfixable, TimeUnit.NANOSECONDS.toMillis(MAX_RETRY_NANOS));
            } else {
                log.warn("Pool '{}' cannot connect: {} (retrying every {} ms or less while connections are needed)",
                        poolName, UrlMasker.mask(error.getMessage()), TimeUnit.NANOSECONDS.toMillis(MAX_RETRY_NANOS));
            }
        } else {
            log.debug("Pool '{}' connect attempt {} failed: {}", poolName, n, UrlMasker.mask(error.getMessage()));
        }
        events.connectFailed(error);
        if (warmTarget > 0) {
            warmedUp.completeExceptionally(error);
        }
        if (unfixable != null) {
            cannotSucceed(queuedBefore, error);
        }
    }

    private static String stateOf(SQLException error) {
        return error == null ? null : error.getSQLState();
    }

    /**
     * A connect failed with an error no retry fixes (class 28, 3D000): the callers queued before it
     * began fail now, with that error as the cause, unless something else could still serve them.
     * Nothing can while the pool holds no connection (none could be returned to them) and is
     * running (a suspended pool opens nothing for its waiters). Later callers keep waiting and get a
     * connect of their own, with the backoff.
     */
    private void cannotSucceed(long queuedBefore, SQLException error) {
        if (lifecycle.state() == PoolState.RUNNING && bag.entries().length == 0) {
            bag.fail(queuedBefore, error);
        }
    }

    // ---- warm-up -------------------------------------------------------------------------------

    /**
     * Opens {@code count} connections in parallel and waits for them: every connect is bounded by
     * {@code connect-timeout} (counted as failed when it passes), so this needs no limit of its own,
     * however many rounds of parallel connects it takes; with {@code connect-timeout} 0 it waits as
     * long as the connects do.
     *
     * @return null once all are open, else the first connect failure (the pool keeps trying in the background)
     * @throws InterruptedException if the caller is interrupted while waiting
     */
    SQLException warmUp(int count) throws InterruptedException {
        if (count == 0) {
            return null;
        }
        warmTarget = count;
        replenish();
        try {
            warmedUp.get();
            return null;
        } catch (ExecutionException e) { // the target stays: without fail-fast they are opened in the background
            return e.getCause() instanceof SQLException sql ? sql : new SQLException(String.valueOf(e.getCause()), "08001", e.getCause());
        }
    }

    // ---- slots ---------------------------------------------------------------------------------

    /** A connection left the pool for good: its physical close has returned. */
    void released() {
        freeSlot();
    }

    private void freeSlot() {
        allocated.decrementAndGet();
        if (lifecycle.isClosed() || lifecycle.isQuiesced()) {
            releaseLock.lock();
            try {
                releasedCondition.signalAll();
            } finally {
                releaseLock.unlock();
            }
        }
    }

    /**
     * For close(): waits until every connection's slot is free (returned, retired, closed), or the
     * deadline ({@link System#nanoTime()}) passes. Connects in flight are not waited for: what they
     * open after close is retired at once.
     */
    boolean awaitConnectionsReleased(long deadline) {
        return awaitReleased(deadline, false);
    }

    /**
     * For quiesce(): waits until every slot is free, connects in flight included (what they open
     * while the pool is quiesced is closed when it lands), or the deadline passes.
     */
    boolean awaitAllReleased(long deadline) {
        return awaitReleased(deadline, true);
    }

    private boolean awaitReleased(long deadline, boolean connectsToo) {
        releaseLock.lock();
        try {
            while (allocated.get() - (connectsToo ? 0 : connecting.get()) > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                releasedCondition.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            releaseLock.unlock();
        }
    }

    /** For close(): starts no more connects, and gives back the slots of those still queued. */
    void stopConnecting() {
        for (Runnable queued : workers.stopConnecting()) {
            ((Attempt) queued).cancel();
        }
    }

    /** Slots taken now. */
    int allocated() {
        return allocated.get();
    }

    // ---- validations in flight -----------------------------------------------------------------

    void validationStarted() {
        validating.incrementAndGet();
    }

    void validationEnded() {
        validating.decrementAndGet();
    }

    /** The last connect failure, while connecting fails; null once a connect succeeds. */
    SQLException lastError() {
        return lastError;
    }
}
