package dev.pool.engine;

import dev.pool.Advice;
import dev.pool.AcquireOutcome;
import dev.pool.ConnectionInfo;
import dev.pool.EvictionReason;
import dev.pool.Holder;
import dev.pool.PoolConfig;
import dev.pool.PoolListener;
import dev.pool.PoolState;
import dev.pool.PoolStats;
import dev.pool.Reset;
import dev.pool.RejectionReason;
import dev.pool.UrlMasker;
import dev.pool.WaitBudget;
import dev.pool.jdbc.ConnectionHandle;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@code PoolDataSource}, and the one engine class the rest of the library sees.
 * It does the lending cycle itself (lend an entry from the {@link ConnectionBag}, take it back clean,
 * keep it or retire it by the {@link RetirementPolicy}, wrap each new connection the
 * {@link ConnectionSupply} opens) and wires the classes that do the rest, each given what it needs
 * when it is built:
 * <ul>
 *   <li>{@link ConnectionSupply}: opening connections, slots under {@code max-size}, backoff, warm-up;</li>
 *   <li>{@link Retirement}: closing connections and freeing their slots; {@link Validator}: checking
 *       idle ones off the borrower's thread; {@link PrimaryRoleGuard}: closing those whose server
 *       turned out to be a standby;</li>
 *   <li>{@link Housekeeper}: all timed work; {@link Shutdown}: closing the pool; {@link #quiesce}:
 *       emptying it until it resumes, with {@link Lifecycle}, the bag, {@link Retirement} and the supply;</li>
 *   <li>{@link PoolView}: stats and per-connection snapshots; {@link Events}: counters and listeners;</li>
 *   <li>on the slow path only: {@link Admission} (max-pending, early rejection, from {@link HoldTimes})
 *       and {@link DeadlockDetector}.</li>
 * </ul>
 * Opening, validating and closing physical connections run on the {@link Workers}, never on a
 * borrower's thread.
 */
public final class ConnectionPool {

    private static final Logger log = LoggerFactory.getLogger(ConnectionPool.class);

    private final String name;
    private final Clock clock;
    private final CoarseClock time;
    private final PoolSizes sizes;
    private final Lifecycle lifecycle = new Lifecycle();
    private final ConnectionBag bag = new ConnectionBag();
    private final Events events;
    private final Connector connector;
    private final Workers workers;
    private final Scheduler scheduler;
    private final RetirementPolicy policy;
    private final ConnectionSupply supply;
    private final Retirement retirement;
    private final Validator validator;
    private final PrimaryRoleGuard roleGuard;
    private final Housekeeper housekeeper;
    private final Shutdown shutdown;
    private final PoolView view;
    /** Null when {@code track-holders} is off. */
    private final Holders holders;
    private final HoldTimes holds = new HoldTimes();
    private final Admission admission;
    private final DeadlockDetector deadlocks;

    private final long waitTimeoutNanos;
    private final long connectTimeoutNanos;
    private final long maxReuseTimeNanos;
    private final long validationIntervalNanos;
    /** Leak detection or abandonment is on: capture where each borrow came from. */
    private final boolean watchesBorrowers;

    /**
     * Validates the config, starts the pool and opens {@code initial-size} connections.
     *
     * @throws SQLException if the initial connections cannot be opened and {@code initialization-fail-fast} is on
     */
    public ConnectionPool(PoolConfig config, Clock clock) throws SQLException {
        config.validate();
        ConnectionHandle.preload();
        JfrEvents.init();
        this.name = config.getName();
        this.clock = clock;
        this.time = new CoarseClock(clock);
        this.sizes = new PoolSizes(config);
        this.events = new Events(name);
        this.connector = new Connector(config);
        this.waitTimeoutNanos = config.getConnectionWaitTimeout().toNanos();
        this.connectTimeoutNanos = config.getConnectTimeout().toNanos();
        this.maxReuseTimeNanos = config.getMaxReuseTime().toNanos();
        this.validationIntervalNanos = config.getValidationInterval().toNanos();

        this.workers = new Workers(name, sizes.maxSize());
        this.scheduler = new Scheduler(name);
        this.policy = new RetirementPolicy(config, sizes, bag);
        this.supply = new ConnectionSupply(name, connectTimeoutNanos, connector, sizes, lifecycle, bag, events, workers, scheduler, this::admit);
        this.retirement = new Retirement(name, bag, supply, events, workers);
        this.validator = new Validator(name, connector, time, bag, retirement, supply, workers);
        this.roleGuard = new PrimaryRoleGuard(name, config.isPrimaryRoleGuard(), config.getValidationTimeout(), bag, workers,
                supply, retirement, this::putBack);
        this.housekeeper = new Housekeeper(config, time, bag, policy, retirement, validator, supply, events, scheduler);
        this.shutdown = new Shutdown(name, lifecycle, bag, supply, retirement, scheduler, workers);
        this.view = new PoolView(bag, sizes, events, clock);
        this.watchesBorrowers = housekeeper.watchesBorrowers();
        this.holders = config.isTrackHolders() ? new Holders(clock) : null;
        this.admission = new Admission(name, config.getMaxPending(), config.isEarlyRejection(), bag, supply, sizes, holds);
        this.deadlocks = new DeadlockDetector(name, bag, supply, sizes);

        warmUp(Math.min(config.getInitialSize(), sizes.maxSize()), config.isInitializationFailFast());
        housekeeper.start();
        log.info("Pool '{}' started: {} (max-size {}, {} open)", name,
                config.getDataSource() != null ? "DataSource " + config.getDataSource().getClass().getName() : UrlMasker.mask(config.getUrl()),
                sizes.maxSize(), bag.entries().length);
    }

    /**
     * Opens {@code initial-size} connections before the pool takes traffic (see
     * {@link ConnectionSupply#warmUp}). With {@code initialization-fail-fast} the first failure fails
     * start-up; without it the pool starts anyway and keeps opening them in the background.
     */
    private void warmUp(int count, boolean failFast) throws SQLException {
        SQLException failure;
        try {
            failure = supply.warmUp(count);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close(Duration.ZERO);
            throw new SQLException("Interrupted while opening initial connections", "08001", e);
        }
        if (failure == null) {
            return;
        }
        if (failFast) {
            close(Duration.ZERO);
            throw new SQLException("Pool '" + name + "' could not open its " + count + " initial connection(s) (initialization-fail-fast is on): "
                    + UrlMasker.mask(failure.getMessage()), failure.getSQLState(), failure);
        }
        log.warn("Pool '{}' starts with {} of {} initial connection(s); it keeps trying in the background", name, bag.entries().length, count);
    }

    // ---- lending ---------------------------------------------------------------------------------

    /**
     * Lends a connection: an idle one if nobody is queued, else one handed over in turn, a new one
     * being opened meanwhile if the pool may grow. Never longer than {@code connection-wait-timeout}.
     *
     * @return the borrower's handle on its lease
     */
    public Connection borrow() throws SQLException {
        boolean timed = events.timed;
        long start = timed ? clock.nanoTime() : 0;
        PooledConnection entry = bag.poll();
        if (entry != null && !isStale(entry)) {
            return lent(entry, start, timed, false);
        }
        return borrowSlowly(entry, timed ? start : clock.nanoTime(), Long.MAX_VALUE);
    }

    /** {@link #borrow()} waiting at most {@code maxWaitNanos} (a per-call budget). */
    public Connection borrow(long maxWaitNanos) throws SQLException {
        boolean timed = events.timed;
        long start = timed ? clock.nanoTime() : 0;
        PooledConnection entry = bag.poll();
        if (entry != null && !isStale(entry)) {
            return lent(entry, start, timed, false);
        }
        return borrowSlowly(entry, timed ? start : clock.nanoTime(), maxWaitNanos);
    }

    private Connection borrowSlowly(PooledConnection stale, long start, long maxWaitNanos) throws SQLException {
        if (stale != null) {
            validateInBackground(stale);
        }
        if (lifecycle.isClosed()) {
            throw new SQLException("Pool '" + name + "' is closed", "08003");
        }
        if (sizes.maxSize() == 0) {
            throw new SQLTransientConnectionException("Pool '" + name + "' has max-size 0: it lends no connections");
        }
        long now = System.nanoTime(); // waits are real time, even under a test clock
        long timeout = waitTimeout();
        String limit = timeout == waitTimeoutNanos ? "connection-wait-timeout" : "connect-timeout, as connection-wait-timeout is 0";
        if (maxWaitNanos < timeout) {
            timeout = maxWaitNanos;
            limit = "the caller's getConnection(maxWait)";
        }
        long budget = WaitBudget.deadlineNanos(); // read here only, never on the fast path
        if (budget != Long.MIN_VALUE && budget - now < timeout) {
            timeout = Math.max(0, budget - now);
            limit = "the thread's WaitBudget";
        }
        long deadline = now + timeout;
        Events.Waiting waiting = events.waitStarted(); // null unless a listener or a JFR recording follows waits
        try {
            Connection lent = await(start, deadline, timeout, limit, waiting);
            if (waiting != null) {
                waiting.ended(AcquireOutcome.SUCCESS, null);
            }
            return lent;
        } catch (SQLException e) {
            if (waiting != null) {
                waiting.failed(e);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            if (waiting != null) {
                waiting.ended(AcquireOutcome.FAILURE, null);
            }
            throw e;
        }
    }

    private Connection await(long start, long deadline, long timeout, String limit, Events.Waiting waiting) throws SQLException {
        try {
            for (;;) {
                long left = deadline - System.nanoTime();
                PooledConnection entry;
                try {
                    entry = left > 0 ? bag.await(left, ahead -> admit(ahead, left, start, waiting), this::queued) : bag.poll();
                } catch (DeadlockDetector.Found e) {
                    rejected(RejectionReason.DEADLOCK, start, waiting);
                    throw new SQLTransientConnectionException(e.getMessage());
                } catch (SQLException e) {
                    String unfixable = SqlStates.unfixableConnectState(e);
                    throw unfixable != null ? cannotConnect(e, unfixable) : e;
                }
                time.refresh();
                if (entry == null) {
                    throw timedOut(start, timeout, limit, waiting);
                }
                if (isStale(entry)) {
                    validateInBackground(entry);
                    continue;
                }
                long servedAt = System.nanoTime();
                if (admission.tooLateToUse(deadline - servedAt) && bag.waiting() > 0) { // someone can use it in time
                    passOn(entry);
                    rejected(RejectionReason.PREDICTED_TIMEOUT, start, waiting);
                    throw admission.tooLate(deadline - servedAt);
                }
                if (entry.contendedSince == 0) {
                    entry.contendedSince = servedAt;
                }
                return lent(entry, start, true, true);
            }
        } finally {
            deadlocks.unmarkHeld();
        }
    }

    /** The bag's gate: fails the caller at once if {@link Admission} says it may not wait. */
    private void admit(int ahead, long waitNanos, long start, Events.Waiting waiting) throws SQLException {
        RejectionReason reason = admission.judge(ahead, waitNanos);
        if (reason != null) {
            rejected(reason, start, waiting);
            throw admission.rejection(reason, ahead, waitNanos);
        }
    }

    private void rejected(RejectionReason reason, long start, Events.Waiting waiting) {
        events.rejected(reason, clock.nanoTime() - start);
        if (waiting != null) {
            waiting.rejected();
        }
    }

    /**
     * The caller is in the queue: open connections for it, and look for a deadlock if it holds
     * some (marked only now that it is queued, so whoever sees the marks can fail its wait).
     */
    private void queued() {
        supply.replenish();
        if (deadlocks.markHeld()) {
            deadlocks.check();
        }
    }

    /**
     * {@code connection-wait-timeout}; when it is 0 ("do not wait for a return") but the pool may
     * still grow, a caller waits for its new connection up to {@code connect-timeout}.
     */
    private long waitTimeout() {
        if (waitTimeoutNanos == 0 && supply.allocated() < sizes.maxSize()) {
            return connectTimeoutNanos > 0 ? connectTimeoutNanos : TimeUnit.SECONDS.toNanos(30);
        }
        return waitTimeoutNanos;
    }

    /** The entry is this thread's: start the lease's bookkeeping and hand out its handle. */
    private Connection lent(PooledConnection entry, long start, boolean timed, boolean waited) {
        long lease = entry.grantedLease();
        long now = timed ? clock.nanoTime() : time.now();
        entry.onBorrow(now, watchesBorrowers);
        if (holders != null && now - entry.sampledAt >= Holders.SAMPLE_EVERY_NANOS) {
            holders.sample(entry, lease, now); // the test inline, so the fast path calls nothing more
        }
        if (JfrEvents.recording) {
            entry.leaseEvent = JfrEvents.leaseBegins(name);
        }
        events.acquired(timed ? now - start : 0, waited);
        return new ConnectionHandle(entry, lease);
    }

    /** Idle longer than {@code validation-interval}: validate before lending. */
    private boolean isStale(PooledConnection entry) {
        return validationIntervalNanos > 0 && time.now() - entry.lastAliveAt() > validationIntervalNanos;
    }

    /** Gives an entry this waiter was handed but will not use to the next borrower. */
    private void passOn(PooledConnection entry) {
        if (entry.endLease(entry.grantedLease())) {
            entry.contendedSince = 0;
            entry.clearBorrower();
            bag.offer(entry);
        }
    }

    /** Takes a claimed entry out of circulation for the validator, which puts it back or retires it. */
    private void validateInBackground(PooledConnection entry) {
        if (entry.endLease(entry.grantedLease())) {
            entry.contendedSince = 0;
            validator.validateLater(entry);
        }
    }

    private SQLTransientConnectionException timedOut(long start, long timeoutNanos, String limit, Events.Waiting waiting) {
        long waited = clock.nanoTime() - start;
        events.timedOut(waited);
        PoolStats s = view.stats();
        if (waiting != null) {
            waiting.timedOut(s);
        }
        SQLException cause = supply.lastError();
        StringBuilder message = new StringBuilder("Pool '").append(name).append("': no connection available within ")
                .append(TimeUnit.NANOSECONDS.toMillis(timeoutNanos)).append(" ms (").append(limit).append("); active ")
                .append(s.active()).append(", idle ").append(s.idle()).append(", pending ").append(s.pending() + 1)
                .append(" (with this caller), max-size ").append(s.maxSize());
        if (holders != null) {
            String top = holders.describeTop(3);
            if (!top.isEmpty()) {
                message.append("; top holders over the last 5 minutes: ").append(top);
            }
        }
        if (cause != null) {
            message.append("; last connect error: ").append(UrlMasker.mask(cause.getMessage()));
        }
        return new SQLTransientConnectionException(message.toString(), null, cause);
    }

    /**
     * The caller's own exception (with its stack) for a connect that failed in a way no retry fixes,
     * the driver's error as its cause and its SQLState.
     */
    private SQLNonTransientConnectionException cannotConnect(SQLException error, String sqlState) {
        String fix = sqlState.startsWith("28")
                ? "authentication failed: check the user name and password, or the credentials provider"
                : "the database does not exist: check the URL";
        return new SQLNonTransientConnectionException("Pool '" + name + "' cannot connect: " + UrlMasker.mask(error.getMessage())
                + " (SQLState " + sqlState + ", " + fix + "; the next getConnection() tries again)", sqlState, error);
    }

    // ---- returning -------------------------------------------------------------------------------

    /** Ends the lease and takes the entry back: cleaned, then lent on, kept idle, or retired. */
    void release(PooledConnection entry, long lease) {
        if (!entry.endLease(lease)) {
            return; // closed twice, or reclaimed: the lease is already over
        }
        if (holders != null && entry.sampledLease == lease) {
            holders.recordSample(entry);
        }
        JfrEvents.Lease leaseEvent = entry.leaseEvent; // set only while a JFR recording runs
        if (leaseEvent != null) {
            entry.leaseEvent = null;
            JfrEvents.leaseEnds(leaseEvent);
        }
        boolean timed = events.timed;
        long now = timed ? clock.nanoTime() : time.now();
        if (timed) {
            events.returned(now - entry.borrowedAt);
        }
        entry.lastReturnedAt = now;
        long since = entry.contendedSince; // 0 unless the lease began on the slow path: see HoldTimes
        if (since != 0) {
            entry.contendedSince = 0;
            holds.record(System.nanoTime() - since);
        }
        entry.clearBorrower();
        if (entry.leakReportedLease == lease) {
            log.info("Pool '{}': the connection reported as a possible leak was returned after {} ms", name,
                    TimeUnit.NANOSECONDS.toMillis(now - entry.borrowedAt));
        }
        if (entry.usedDuringLease()) {
            clean(entry);
        }
        int trouble = entry.trouble(); // the one volatile read of what is wrong with it: broken, or its role in doubt
        if (trouble == PooledConnection.ROLE_IN_DOUBT && roleGuard.takeBack(entry)) {
            return; // a 25006: the guard asks its server on a worker, then puts it back or closes it
        }
        keepOrRetire(entry, trouble, now);
    }

    /** The end of a return: retired if a rule says so, else lent on or kept idle. */
    private void keepOrRetire(PooledConnection entry, int trouble, long now) {
        EvictionReason reason = policy.atReturn(entry, trouble, now);
        if (reason != null) {
            retirement.retire(entry, reason);
        } else {
            bag.offer(entry); // after close() the bag retires it instead
        }
    }

    /** An entry the primary-role guard found on a primary (or could not ask): as after a return. */
    private void putBack(PooledConnection entry) {
        keepOrRetire(entry, entry.trouble(), time.exact());
    }

    /**
     * Closes forgotten statements, rolls back, restores settings, and counts the {@link Reset}s
     * that needed. Any failure means: do not lend it again.
     */
    private void clean(PooledConnection entry) {
        int resets = entry.statements.isEmpty() ? 0 : SessionState.mask(Reset.STATEMENTS);
        SQLException statementFailure = entry.statements.closeAll();
        if (statementFailure != null && SqlStates.meansConnectionLost(statementFailure)) {
            entry.markBroken();
        }
        if (!entry.isBroken()) {
            try {
                resets |= entry.session.reset();
                entry.raw.clearWarnings();
            } catch (SQLException | RuntimeException e) {
                log.debug("Pool '{}' could not reset a returned connection; closing it", name, e);
                entry.markBroken();
            }
        }
        if (resets != 0) {
            events.reset(resets);
        }
    }

    /** A new physical connection from the supply: wrapped, added, and put into circulation. */
    private void admit(Connection raw, long tookNanos) throws SQLException {
        SessionState session;
        try {
            session = new SessionState(raw, connector.defaults());
        } catch (SQLException | RuntimeException e) {
            Connector.closeQuietly(raw);
            throw e;
        }
        long now = clock.nanoTime();
        long jitter = maxReuseTimeNanos / 40 == 0 ? 0 : ThreadLocalRandom.current().nextLong(maxReuseTimeNanos / 40);
        long retireAt = maxReuseTimeNanos > 0 ? now + maxReuseTimeNanos - jitter : now + Long.MAX_VALUE / 2;
        PooledConnection entry = new PooledConnection(this, raw, session, now, retireAt, policy.generation());
        bag.add(entry);
        try {
            roleGuard.admit(entry); // after a standby was found: not lent unless it reached a primary
        } catch (SQLException e) {
            bag.remove(entry); // never offered: nobody else has seen it; the supply frees its slot
            Connector.closeQuietly(raw);
            throw e;
        }
        events.created(tookNanos);
        bag.offer(entry);
    }

    // ---- operations --------------------------------------------------------------------------------

    /** Closes every idle connection now. */
    public void evictIdle() {
        retirement.retireIdle(EvictionReason.MANUAL);
    }

    /** Closes every idle connection now, and every borrowed one when it is returned. */
    public void evictAll() {
        policy.retireAllCurrent();
        evictIdle();
    }

    public void suspend() {
        if (lifecycle.suspend()) {
            bag.setLending(false);
            log.info("Pool '{}' suspended", name);
        }
    }

    /** Ends a suspend or a quiesce: lending resumes, and what waiters and min-idle need is opened. */
    public void resume() {
        if (lifecycle.resume()) {
            bag.stopEmptying();
            bag.setLending(true);
            log.info("Pool '{}' resumed", name);
            supply.replenish();
        }
    }

    /**
     * Empties the pool until {@link #resume()}: suspends lending and opening, closes every idle
     * connection on this thread, then waits up to {@code timeout} for the rest. While quiesced,
     * whatever the bag is offered (a return, a connect that was in flight, a validated connection)
     * is retired instead of kept idle; see {@link ConnectionBag#startEmptying}.
     *
     * @return true if no connection is open or opening when it returns
     */
    public boolean quiesce(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        suspend();
        if (lifecycle.quiesce()) { // false if closed (close empties the pool itself) or resumed meanwhile
            bag.startEmptying(entry -> retirement.retire(entry, null));
            retirement.closeIdleNow(); // the physical closes run here: they have returned when this does
        }
        boolean empty = supply.awaitAllReleased(deadline);
        log.info("Pool '{}' quiesced: {}", name, empty ? "no connection open"
                : supply.allocated() + " connection(s) still borrowed, closing or opening after " + timeout.toMillis()
                        + " ms; each is closed when returned");
        return empty;
    }

    /** Changes the sizes at run time; connections above a smaller max-size close as they come back. */
    public void resize(int newMinIdle, int newMaxSize) {
        sizes.resize(newMinIdle, newMaxSize);
        workers.resize(newMaxSize);
        log.info("Pool '{}' resized: min-idle {}, max-size {}", name, newMinIdle, newMaxSize);
        housekeeper.run();
    }

    /**
     * Stops lending, fails every waiter, waits up to {@code timeout} for borrowed connections, then
     * closes everything and stops the pool's threads. Idempotent. See {@link Shutdown}.
     */
    public void close(Duration timeout) {
        shutdown.close(timeout);
    }

    /** Whether returned connections go to waiters in arrival order now (for tests). */
    public boolean servesInOrder() {
        return bag.servesInOrder();
    }

    /** Runs one housekeeping pass now, at the clock's time (tests move a test clock, then call this). */
    public void runHousekeeping() {
        housekeeper.run();
    }

    public void addListener(PoolListener listener) {
        events.add(listener);
    }

    public void removeListener(PoolListener listener) {
        events.remove(listener);
    }

    // ---- views ---------------------------------------------------------------------------------------

    public PoolStats stats() {
        return view.stats();
    }

    /** Every open connection, as the pool sees it now. */
    public List<ConnectionInfo> connections() {
        return view.connections();
    }

    /** Call sites by total hold time over the last 5 minutes, the longest first; empty when {@code track-holders} is off. */
    public List<Holder> holders() {
        return holders != null ? holders.snapshot() : List.of();
    }

    /** A suggested max-size by the last window's load (see {@link SizeAdvisor}); needs {@code track-holders}. */
    public Advice advice() {
        if (holders == null) {
            return new Advice(sizes.maxSize(), "track-holders is off, so there are no hold times to size by; max-size stays "
                    + sizes.maxSize() + ".");
        }
        return SizeAdvisor.advise(holders.window(), sizes.maxSize());
    }

    public PoolState state() {
        return lifecycle.state();
    }

    public boolean isClosed() {
        return lifecycle.isClosed();
    }

    public String name() {
        return name;
    }

    public int minIdle() {
        return sizes.minIdle();
    }

    public SQLException lastConnectError() {
        return supply.lastError();
    }
}
