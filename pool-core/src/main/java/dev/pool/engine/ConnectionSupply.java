package dev.pool.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens connections when they are needed: in parallel on the pool's worker threads (never one at a
 * time on a single thread), never more than {@code max-size} open and opening together.
 *
 * <p>What is needed is asked of the pool each time ({@link ConnectionPool#connectionsNeeded()}):
 * one per waiting borrower, plus what {@code min-idle}, {@code min-size} and {@code initial-size}
 * ask for, less what is already being opened. Decisions are serialised by a work-in-progress counter,
 * so concurrent callers never open two connections for one need and nobody blocks.
 *
 * <p><b>Backoff.</b> After a failed connect only one attempt is in flight at a time, spaced 50 ms
 * and doubling to 250 ms: a database that is down sees at most 20 attempts a second however many
 * borrowers wait, and one that comes back is found within a quarter of a second. A success ends it.
 */
final class ConnectionSupply {

    private static final Logger log = LoggerFactory.getLogger(ConnectionSupply.class);
    private static final long FIRST_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MAX_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final ConnectionPool pool;
    private final Connector connector;
    private final long connectTimeoutNanos;

    /** Open plus opening connections; never above max-size. */
    private final AtomicInteger allocated = new AtomicInteger();
    /** Connects that count as being opened: started, not yet answered, and within connect-timeout. */
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

    ConnectionSupply(ConnectionPool pool, Connector connector, long connectTimeoutNanos) {
        this.pool = pool;
        this.connector = connector;
        this.connectTimeoutNanos = connectTimeoutNanos;
    }

    /** Opens what the pool needs now, in the background. Cheap to call often; never blocks. */
    void replenish() {
        if (allocated.get() >= pool.maxSize()) {
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

    private void openWhatIsNeeded() {
        for (;;) {
            // in flight, read before the pool is counted: a connect that lands in between is counted
            // twice (opening and in the pool), so this may open one too few (the landing connect
            // replenishes again) but never one too many. Read after, it opened an extra connection
            // about once in 300 retire-and-replace rounds.
            int inFlight = opening.get();
            if (pool.isClosed() || pool.connectionsNeeded() - inFlight <= 0) {
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
                pool.workers().connect(new Attempt());
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
            if (now >= pool.maxSize()) {
                return false;
            }
            if (allocated.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    private void scheduleRetry(long delayNanos) {
        if (retryScheduled.compareAndSet(false, true)) {
            pool.housekeeper().schedule(() -> {
                retryScheduled.set(false);
                replenish();
            }, delayNanos);
        }
    }

    /**
     * One physical connect. It holds a slot from the moment it is queued until the driver answers,
     * however late, so the pool never has more than {@code max-size} connections open and opening.
     * Once {@code connect-timeout} has passed it counts as failed (the borrowers' error, the
     * backoff), and no longer as being opened, whatever the driver is doing: a connection that
     * arrives after that is closed.
     */
    private final class Attempt implements Runnable {

        private static final int QUEUED = 0;
        private static final int RUNNING = 1;
        private static final int ANSWERED = 2;
        private static final int EXPIRED = 3;
        private static final int CANCELLED = 4;

        private final AtomicInteger state = new AtomicInteger(QUEUED);

        /** Runs on a connect thread. */
        @Override
        public void run() {
            if (!state.compareAndSet(QUEUED, RUNNING)) {
                return;
            }
            java.util.concurrent.Future<?> deadline = connectTimeoutNanos > 0
                    ? pool.housekeeper().schedule(this::expire, connectTimeoutNanos) : null;
            long start = System.nanoTime();
            Connection raw = null;
            Throwable failure = null;
            try {
                raw = connector.connect();
            } catch (Throwable e) { // an Error from a driver must not keep the slot forever either
                failure = e;
            }
            long took = System.nanoTime() - start;
            if (deadline != null) {
                deadline.cancel(false);
            }
            if (!state.compareAndSet(RUNNING, ANSWERED)) { // expired: already counted as failed
                if (raw != null) {
                    Connector.closeQuietly(raw);
                }
                connecting.decrementAndGet();
                freeSlot();
            } else if (failure == null) {
                recovered();
                admit(raw, took);
            } else {
                opening.decrementAndGet();
                connecting.decrementAndGet();
                failed(failure);
                freeSlot();
            }
            replenish();
        }

        private void admit(Connection raw, long took) {
            try {
                pool.admit(raw, took); // hands it to a waiter or the idle set, or retires it if the pool closed
                connecting.decrementAndGet();
                opening.decrementAndGet();
            } catch (SQLException | RuntimeException e) {
                opening.decrementAndGet();
                connecting.decrementAndGet();
                failed(e);
                freeSlot();
            }
        }

        /** On the timer, at connect-timeout. */
        private void expire() {
            if (state.compareAndSet(RUNNING, EXPIRED)) {
                opening.decrementAndGet();
                failed(new SQLTransientConnectionException("Connect did not finish within connect-timeout ("
                        + TimeUnit.NANOSECONDS.toMillis(connectTimeoutNanos) + " ms)", "08001"));
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

    /** Starts no more connects and gives back the slots of those still queued; for close(). */
    void stopConnecting() {
        for (Runnable queued : pool.workers().stopConnecting()) {
            ((Attempt) queued).cancel();
        }
    }

    private void recovered() {
        int failed = failures.getAndSet(0);
        lastError = null;
        if (failed > 0) {
            log.info("Pool '{}' connected again after {} failed attempt(s)", pool.name(), failed);
        }
    }

    private void failed(Throwable e) {
        SQLException error = e instanceof SQLException sql ? sql : new SQLException(e.toString(), "08001", e);
        lastError = error;
        int n = failures.incrementAndGet();
        long backoff = Math.min(MAX_RETRY_NANOS, FIRST_RETRY_NANOS << Math.min(n - 1, 8));
        retryAt = System.nanoTime() + backoff;
        if (n == 1) {
            log.warn("Pool '{}' cannot connect: {} (retrying every {} ms or less while connections are needed)",
                    pool.name(), UrlMasker.mask(error.getMessage()), TimeUnit.NANOSECONDS.toMillis(MAX_RETRY_NANOS));
        } else {
            log.debug("Pool '{}' connect attempt {} failed: {}", pool.name(), n, UrlMasker.mask(error.getMessage()));
        }
        pool.events().connectFailed(error);
        pool.connectFailed(error);
    }

    /** A connection left the pool for good. */
    void released() {
        freeSlot();
    }

    private void freeSlot() {
        allocated.decrementAndGet();
        pool.slotFreed();
    }

    int allocated() {
        return allocated.get();
    }

    /** Slots held by connections (in the pool, or closing), not by connects: what close() waits for. */
    int heldByConnections() {
        return allocated.get() - connecting.get();
    }

    int validating() {
        return validating.get();
    }

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
