package dev.pool.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Objects;
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
 *
 * <p><b>Errors no retry fixes.</b> A connect refused for a wrong password or a database that does
 * not exist fails the same way every time until someone fixes it, so the callers waiting for it are
 * told at once ({@link ConnectionPool#connectCannotSucceed}) instead of at their timeout. The
 * backoff is unchanged: the next caller gets a connect of its own, which may find the password fixed.
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
    private final AtomicInteger opening = new AtomicInteger();
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
            try {
                pool.workers().execute(this::openOne);
            } catch (RejectedExecutionException shuttingDown) {
                opening.decrementAndGet();
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

    /** Runs on a worker: one physical connect, handed to the pool or counted as a failure. */
    private void openOne() {
        long queued = pool.waitersQueued(); // the callers this connect is for
        try {
            long start = System.nanoTime();
            Connection raw = connector.connect();
            long took = System.nanoTime() - start;
            if (connectTimeoutNanos > 0 && took > connectTimeoutNanos) {
                Connector.closeQuietly(raw);
                throw new SQLTransientConnectionException("Connect took " + TimeUnit.NANOSECONDS.toMillis(took)
                        + " ms, more than connect-timeout (" + TimeUnit.NANOSECONDS.toMillis(connectTimeoutNanos) + " ms)", "08001");
            }
            recovered();
            pool.admit(raw, took); // hands it to a waiter or the idle set, or closes it if the pool closed
            opening.decrementAndGet();
        } catch (SQLException | RuntimeException e) {
            opening.decrementAndGet();
            failed(e, queued);
            freeSlot();
        }
        replenish();
    }

    private void recovered() {
        int failed = failures.getAndSet(0);
        lastError = null;
        if (failed > 0) {
            log.info("Pool '{}' connected again after {} failed attempt(s)", pool.name(), failed);
        }
    }

    private void failed(Exception e, long queued) {
        SQLException error = e instanceof SQLException sql ? sql : new SQLException(e.toString(), "08001", e);
        SQLException previous = lastError;
        lastError = error;
        int n = failures.incrementAndGet();
        long backoff = Math.min(MAX_RETRY_NANOS, FIRST_RETRY_NANOS << Math.min(n - 1, 8));
        retryAt = System.nanoTime() + backoff;
        String unfixable = PooledConnection.unfixableConnectState(error);
        if (n == 1 || !Objects.equals(stateOf(previous), stateOf(error))) {
            if (unfixable != null) {
                log.warn("Pool '{}' cannot connect: {} (SQLState {}: no retry fixes this, so callers waiting for a new connection "
                        + "fail now; the pool tries again, at most every {} ms, while connections are needed)", pool.name(),
                        UrlMasker.mask(error.getMessage()), unfixable, TimeUnit.NANOSECONDS.toMillis(MAX_RETRY_NANOS));
            } else {
                log.warn("Pool '{}' cannot connect: {} (retrying every {} ms or less while connections are needed)",
                        pool.name(), UrlMasker.mask(error.getMessage()), TimeUnit.NANOSECONDS.toMillis(MAX_RETRY_NANOS));
            }
        } else {
            log.debug("Pool '{}' connect attempt {} failed: {}", pool.name(), n, UrlMasker.mask(error.getMessage()));
        }
        pool.events().connectFailed(error);
        pool.connectFailed(error);
        if (unfixable != null) {
            pool.connectCannotSucceed(queued, error);
        }
    }

    private static String stateOf(SQLException error) {
        return error == null ? null : error.getSQLState();
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
