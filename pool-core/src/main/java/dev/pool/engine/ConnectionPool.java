package dev.pool.engine;

import dev.pool.ConnectionInfo;
import dev.pool.EvictionReason;
import dev.pool.PoolConfig;
import dev.pool.PoolConfigException;
import dev.pool.PoolListener;
import dev.pool.PoolState;
import dev.pool.PoolStats;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@code PoolDataSource}: lends entries from the {@link ConnectionBag}, takes
 * them back clean, retires them by the rules, and asks the {@link ConnectionSupply} for new ones.
 * Timed work is the {@link Housekeeper}'s; opening, validating and closing physical connections
 * runs on the worker threads, never on a borrower's.
 */
public final class ConnectionPool {

    private static final Logger log = LoggerFactory.getLogger(ConnectionPool.class);

    private final String name;
    private final Clock clock;
    private final Connector connector;
    private final ConnectionBag bag = new ConnectionBag();
    private final Events events = new Events();
    private final ConnectionSupply supply;
    private final Workers workers;
    private final Housekeeper housekeeper;

    private final long waitTimeoutNanos;
    private final long connectTimeoutNanos;
    private final long maxReuseTimeNanos;
    private final int maxReuseCount;
    private final long validationIntervalNanos;
    private final int minSize;
    private volatile int minIdle;
    private volatile int maxSize;
    private final int maxIdle;
    /** Leak detection or abandonment is on: capture where each borrow came from. */
    private final boolean watchesBorrowers;
    private volatile int warmTarget;
    private final CompletableFuture<Void> warmedUp = new CompletableFuture<>();
    private final AtomicInteger admitted = new AtomicInteger();
    /** The size min-size protects: min-size, or the most the pool has held if that is less. */
    private final AtomicInteger floor = new AtomicInteger();

    /** Borrows counted by entries that have since been closed; live entries count their own. */
    private final LongAdder retiredBorrows = new LongAdder();
    /** {@code evictAll()} bumps this; entries of an older generation are retired when next seen. */
    private volatile int generation;
    private final AtomicReference<PoolState> state = new AtomicReference<>(PoolState.RUNNING);
    /** Refreshed by the housekeeper and by every slow path: the fast path's clock. */
    private volatile long coarseNow;
    /** close() waits on this for borrowed connections to come back. */
    private final ReentrantLock drainLock = new ReentrantLock();
    private final Condition drained = drainLock.newCondition();

    public ConnectionPool(PoolConfig config, Clock clock) throws SQLException {
        config.validate();
        this.name = config.getName();
        this.clock = clock;
        this.connector = new Connector(config);
        this.waitTimeoutNanos = config.getConnectionWaitTimeout().toNanos();
        this.maxReuseTimeNanos = config.getMaxReuseTime().toNanos();
        this.maxReuseCount = config.getMaxReuseCount();
        this.validationIntervalNanos = config.getValidationInterval().toNanos();
        this.minSize = config.getMinSize();
        this.minIdle = config.getMinIdle();
        this.maxSize = config.getMaxSize();
        this.maxIdle = config.effectiveMaxIdle();
        this.coarseNow = clock.nanoTime();
        this.workers = new Workers(name, Math.max(1, Math.min(maxSize, 8)));
        this.connectTimeoutNanos = config.getConnectTimeout().toNanos();
        this.supply = new ConnectionSupply(this, connector, connectTimeoutNanos);
        this.housekeeper = new Housekeeper(this, config);
        this.watchesBorrowers = housekeeper.watchesBorrowers();
        warmUp(Math.min(config.getInitialSize(), maxSize), config);
        housekeeper.start();
        log.info("Pool '{}' started: {} (max-size {}, {} open)", name,
                config.getDataSource() != null ? "DataSource " + config.getDataSource().getClass().getName() : UrlMasker.mask(config.getUrl()),
                maxSize, bag.entries().length);
    }

    /**
     * Opens {@code initial-size} connections in parallel before the pool takes traffic. With
     * {@code initialization-fail-fast} the first failure (or no success within connect-timeout)
     * fails start-up; without it the pool starts anyway and keeps opening them in the background.
     */
    private void warmUp(int count, PoolConfig config) throws SQLException {
        if (count == 0) {
            return;
        }
        warmTarget = count;
        supply.replenish();
        long timeout = Math.max(config.getConnectTimeout().toNanos(), TimeUnit.SECONDS.toNanos(1));
        try {
            warmedUp.get(timeout, TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            SQLException cause = supply.lastError();
            if (config.isInitializationFailFast()) {
                close(Duration.ZERO);
                String why = cause != null ? UrlMasker.mask(cause.getMessage()) : "no connection within " + TimeUnit.NANOSECONDS.toMillis(timeout) + " ms";
                throw new SQLException("Pool '" + name + "' could not open its " + count
                        + " initial connection(s) (initialization-fail-fast is on): " + why, cause != null ? cause.getSQLState() : "08001", cause);
            }
            log.warn("Pool '{}' starts with {} of {} initial connection(s); it keeps trying in the background", name, bag.entries().length, count);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close(Duration.ZERO);
            throw new SQLException("Interrupted while opening initial connections", "08001", e);
        }
    }

    /** Waiters queued so far, as a ticket: a connect starting now is for them. */
    long waitersQueued() {
        return bag.lastTicket();
    }

    /**
     * A connect failed with an error no retry fixes (class 28, 3D000): the callers queued before it
     * began fail now, with that error as the cause, unless something else could still serve them.
     * Nothing can while the pool holds no connection (none could be returned to them) and is
     * running (a suspended pool opens nothing for its waiters). Later callers keep waiting and get a
     * connect of their own, with the supply's backoff.
     */
    void connectCannotSucceed(long queuedBefore, SQLException error) {
        if (state.get() == PoolState.RUNNING && bag.entries().length == 0) {
            bag.fail(queuedBefore, error);
        }
    }

    /** The supply tells the pool a connect failed; start-up with fail-fast stops at the first. */
    void connectFailed(SQLException error) {
        if (warmTarget > 0) {
            warmedUp.completeExceptionally(error);
        }
    }

    // ---- borrowing -------------------------------------------------------------------------------

    /**
     * Lends a connection: an idle one if nobody is queued, else one handed over in turn, a new one
     * being opened meanwhile if the pool may grow. Never longer than {@code connection-wait-timeout}.
     *
     * @return the entry, leased; its {@link PooledConnection#word()} is the lease
     */
    public PooledConnection borrow() throws SQLException {
        boolean timed = events.timed;
        long start = timed ? clock.nanoTime() : 0;
        PooledConnection entry = bag.poll();
        if (entry != null && !isStale(entry)) {
            lent(entry, start, timed, false);
            return entry;
        }
        return borrowSlowly(entry, timed ? start : clock.nanoTime());
    }

    private PooledConnection borrowSlowly(PooledConnection stale, long start) throws SQLException {
        if (stale != null) {
            validateInBackground(stale);
        }
        checkOpen();
        if (maxSize == 0) {
            throw new SQLTransientConnectionException("Pool '" + name + "' has max-size 0: it lends no connections");
        }
        long timeout = waitTimeout();
        long deadline = System.nanoTime() + timeout; // waits are real time, even under a test clock
        for (;;) {
            long left = deadline - System.nanoTime();
            PooledConnection entry;
            try {
                entry = left > 0 ? bag.await(left, supply::replenish) : bag.poll();
            } catch (SQLException e) {
                String unfixable = PooledConnection.unfixableConnectState(e);
                throw unfixable != null ? cannotConnect(e, unfixable) : e;
            }
            coarseNow = clock.nanoTime();
            if (entry == null) {
                throw timedOut(start, timeout);
            }
            if (isStale(entry)) {
                validateInBackground(entry);
                continue;
            }
            lent(entry, start, true, true);
            return entry;
        }
    }

    /**
     * {@code connection-wait-timeout}; when it is 0 ("do not wait for a return") but the pool may
     * still grow, a caller waits for its new connection up to {@code connect-timeout}.
     */
    private long waitTimeout() {
        if (waitTimeoutNanos == 0 && supply.allocated() < maxSize) {
            return connectTimeoutNanos > 0 ? connectTimeoutNanos : TimeUnit.SECONDS.toNanos(30);
        }
        return waitTimeoutNanos;
    }

    private void lent(PooledConnection entry, long start, boolean timed, boolean waited) {
        long now = timed ? clock.nanoTime() : coarseNow;
        entry.onBorrow(now, watchesBorrowers);
        events.acquired(timed ? now - start : 0, waited);
    }

    /** Idle longer than {@code validation-interval}: validate before lending. */
    private boolean isStale(PooledConnection entry) {
        return validationIntervalNanos > 0 && coarseNow - entry.lastAliveAt() > validationIntervalNanos;
    }

    /** Takes the entry out of circulation, validates it on a worker, and puts it back or retires it. */
    private void validateInBackground(PooledConnection entry) {
        if (entry.endLease(entry.word())) {
            validateOnWorker(entry);
        }
    }

    /** Validates an entry the caller owns on a worker, then offers it or retires it as broken. */
    void validateOnWorker(PooledConnection entry) {
        supply.validationStarted();
        try {
            workers.execute(() -> {
                try {
                    revalidate(entry);
                } finally {
                    supply.validationEnded();
                }
            });
        } catch (RejectedExecutionException closing) {
            supply.validationEnded();
            retire(entry, null);
        }
    }

    /** On a worker: validates an entry the caller owns, then offers it or retires it as broken. */
    void revalidate(PooledConnection entry) {
        if (connector.isValid(entry.raw)) {
            entry.lastValidatedAt = clock.nanoTime();
            offer(entry);
        } else {
            log.debug("Pool '{}' closes a connection that failed validation", name);
            retire(entry, EvictionReason.BROKEN);
            supply.replenish();
        }
    }

    private SQLTransientConnectionException timedOut(long start, long timeoutNanos) {
        long waited = clock.nanoTime() - start;
        events.timedOut(waited);
        PoolStats s = stats();
        SQLException cause = supply.lastError();
        String limit = timeoutNanos == waitTimeoutNanos ? "connection-wait-timeout" : "connect-timeout, as connection-wait-timeout is 0";
        StringBuilder message = new StringBuilder("Pool '").append(name).append("': no connection available within ")
                .append(TimeUnit.NANOSECONDS.toMillis(timeoutNanos)).append(" ms (").append(limit).append("); active ")
                .append(s.active()).append(", idle ").append(s.idle()).append(", pending ").append(s.pending() + 1)
                .append(" (with this caller), max-size ").append(s.maxSize());
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

    private void checkOpen() throws SQLException {
        if (state.get() == PoolState.CLOSED) {
            throw new SQLException("Pool '" + name + "' is closed", "08003");
        }
    }

    // ---- returning -------------------------------------------------------------------------------

    /** Ends the lease and takes the entry back: cleaned, then lent on, kept idle, or retired. */
    void release(PooledConnection entry, long lease) {
        if (!entry.endLease(lease)) {
            return; // closed twice, or reclaimed: the lease is already over
        }
        long now = events.timed ? clock.nanoTime() : coarseNow;
        if (events.timed) {
            events.returned(now - entry.borrowedAt);
        }
        entry.lastReturnedAt = now;
        entry.clearBorrower();
        if (entry.leakReportedLease == lease) {
            log.info("Pool '{}': the connection reported as a possible leak was returned after {} ms", name,
                    TimeUnit.NANOSECONDS.toMillis(now - entry.borrowedAt));
        }
        if (entry.usedDuringLease()) {
            clean(entry);
        }
        EvictionReason reason = retirementReason(entry, now);
        if (reason != null || state.get() == PoolState.CLOSED) {
            retire(entry, reason);
            supply.replenish();
        } else if (maxIdle < maxSize && bag.waiting() == 0 && idleCount() >= maxIdle) {
            retire(entry, EvictionReason.MAX_IDLE);
        } else {
            offer(entry);
        }
    }

    /** Closes forgotten statements, rolls back, restores settings. Any failure means: do not lend it again. */
    private void clean(PooledConnection entry) {
        SQLException statementFailure = entry.closeStatements();
        if (statementFailure != null && PooledConnection.isFatal(statementFailure)) {
            entry.broken = true;
        }
        if (entry.broken) {
            return;
        }
        try {
            entry.session.reset();
            entry.raw.clearWarnings();
        } catch (SQLException | RuntimeException e) {
            log.debug("Pool '{}' could not reset a returned connection; closing it", name, e);
            entry.broken = true;
        }
    }

    private EvictionReason retirementReason(PooledConnection entry, long now) {
        if (entry.broken) {
            return EvictionReason.BROKEN;
        }
        if (isLeftOver(entry)) {
            return EvictionReason.MANUAL;
        }
        if (maxReuseCount > 0 && entry.borrowCount >= maxReuseCount) {
            return EvictionReason.REUSE_COUNT;
        }
        if (now - entry.retireAt >= 0) {
            return EvictionReason.REUSE_TIME;
        }
        return null;
    }

    /** Puts an owned entry into circulation, unless the pool has closed meanwhile. */
    private void offer(PooledConnection entry) {
        bag.offer(entry);
        if (state.get() == PoolState.CLOSED && entry.tryReserve()) {
            retire(entry, null); // a return raced with close(): whoever sees it idle closes it
        }
    }

    /** A new physical connection from the supply: wrapped, added, and put into circulation. */
    void admit(Connection raw, long tookNanos) throws SQLException {
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
        PooledConnection entry = new PooledConnection(this, raw, session, now, retireAt, generation);
        bag.add(entry);
        events.created(tookNanos);
        int held = bag.entries().length;
        floor.accumulateAndGet(Math.min(held, minSize), Math::max);
        offer(entry);
        if (warmTarget > 0 && admitted.incrementAndGet() >= warmTarget) {
            warmTarget = 0;
            warmedUp.complete(null); // counted after offer: start-up returns with every initial connection idle
        }
    }

    /**
     * Closes an owned entry for good: out of the bag now, the physical close (after a rollback for a
     * reclaimed one) on a worker. Counts an eviction if {@code reason} is given. The entry's slot is
     * freed only once the physical close has returned, so the database never sees more than
     * {@code max-size} connections, even while retired ones are still closing.
     */
    void retire(PooledConnection entry, EvictionReason reason) {
        entry.markClosed();
        bag.remove(entry);
        retiredBorrows.add(entry.borrowCount);
        if (reason != null) {
            events.evicted(reason);
        }
        boolean reclaimed = entry.reclaimedLease != -1;
        Runnable close = () -> {
            try {
                if (reclaimed) {
                    Connector.rollbackAndClose(entry.raw);
                } else {
                    Connector.closeQuietly(entry.raw);
                }
            } finally {
                supply.released();
                supply.replenish();
            }
        };
        try {
            workers.execute(close);
        } catch (RejectedExecutionException closing) {
            close.run();
        }
    }

    /** A slot was freed (a connection closed or a connect failed); close() may be waiting for it. */
    void slotFreed() {
        if (state.get() != PoolState.CLOSED) {
            return;
        }
        drainLock.lock();
        try {
            drained.signalAll();
        } finally {
            drainLock.unlock();
        }
    }

    /** Waits until every entry has come back and closed, or the deadline (System.nanoTime) passes. */
    private boolean awaitDrained(long deadline) {
        drainLock.lock();
        try {
            while (supply.allocated() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                drained.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            drainLock.unlock();
        }
    }

    // ---- what the supply and the housekeeper ask ----------------------------------------------

    /** Connections wanted now beyond those open: waiters, min-idle, min-size (once reached), initial-size. */
    int connectionsNeeded() {
        int total = bag.entries().length;
        int idle = idleCount();
        // waiters take idle connections first (a woken waiter may not have claimed its one yet), and
        // connections out for validation will come back; what is left of waiters and min-idle needs
        // opening. A suspended pool opens nothing for its waiters: suspend is for when the database
        // should not be bothered (a failover, a maintenance window).
        int waiters = state.get() == PoolState.SUSPENDED ? 0 : bag.waiting();
        int need = waiters + minIdle - idle - supply.validating();
        need = Math.max(need, Math.max(0, warmTarget - total));
        need = Math.max(need, floor.get() - total); // replace what retirement took below the floor
        return need;
    }

    int idleCount() {
        int idle = 0;
        for (PooledConnection e : bag.entries()) {
            if (e.state() == PooledConnection.IDLE) {
                idle++;
            }
        }
        return idle;
    }

    /** Left over by {@code evictAll()} or a smaller {@code max-size}: retire when seen idle or returned. */
    boolean isLeftOver(PooledConnection entry) {
        // counts the entries still in the pool: retired ones keep their slot until closed, but are no longer too many
        return entry.generation != generation || bag.entries().length > maxSize;
    }

    /** The housekeeper's pass begins: refreshes the fast path's clock. */
    void tick(long now) {
        coarseNow = now;
    }

    /**
     * Takes back a connection its borrower abandoned: the lease ends (the borrower's handle now
     * throws, saying so), the work is rolled back, the connection closed and its slot freed.
     */
    void reclaim(PooledConnection entry, long lease, long unusedNanos) {
        entry.reclaimedLease = lease; // before the lease ends, so the borrower's next call can tell why
        if (!entry.endLease(lease)) {
            entry.reclaimedLease = -1; // returned at the last moment
            return;
        }
        Thread borrower = entry.borrower;
        log.warn("Pool '{}' reclaimed a connection abandoned by thread '{}': no JDBC call for {} ms (abandoned-connection-timeout)",
                name, borrower == null ? "?" : borrower.getName(), TimeUnit.NANOSECONDS.toMillis(unusedNanos), entry.borrowSite());
        retire(entry, EvictionReason.ABANDONED);
        supply.replenish();
    }

    /** Whether returned connections go to waiters in arrival order now (for tests). */
    public boolean servesInOrder() {
        return bag.servesInOrder();
    }

    /** Runs one housekeeping pass now, at the clock's time (tests move a test clock, then call this). */
    public void runHousekeeping() {
        housekeeper.run();
    }

    // ---- operations --------------------------------------------------------------------------------

    /** Closes every idle connection now. */
    public void evictIdle() {
        retireIdleNow(EvictionReason.MANUAL);
        supply.replenish();
    }

    /** Closes every idle connection now, and every borrowed one when it is returned. */
    public void evictAll() {
        generation++;
        evictIdle();
    }

    public void suspend() {
        if (state.compareAndSet(PoolState.RUNNING, PoolState.SUSPENDED)) {
            bag.setLending(false);
            log.info("Pool '{}' suspended", name);
        }
    }

    public void resume() {
        if (state.compareAndSet(PoolState.SUSPENDED, PoolState.RUNNING)) {
            bag.setLending(true);
            log.info("Pool '{}' resumed", name);
        }
    }

    /** Changes the sizes at run time; connections above a smaller max-size close as they come back. */
    public void resize(int newMinIdle, int newMaxSize) {
        if (newMaxSize < 0) {
            throw new PoolConfigException("pool.max-size", newMaxSize, "must be 0 or more");
        }
        if (newMinIdle < 0 || newMinIdle > newMaxSize) {
            throw new PoolConfigException("pool.min-idle", newMinIdle, "must be between 0 and pool.max-size (" + newMaxSize + ")");
        }
        if (minSize > newMaxSize) {
            throw new PoolConfigException("pool.max-size", newMaxSize, "must not be below pool.min-size (" + minSize + ")");
        }
        this.maxSize = newMaxSize;
        this.minIdle = newMinIdle;
        log.info("Pool '{}' resized: min-idle {}, max-size {}", name, newMinIdle, newMaxSize);
        housekeeper.run();
    }

    /**
     * Stops lending, fails every waiter, waits up to {@code timeout} for borrowed connections, then
     * closes everything and stops the pool's threads. Idempotent.
     */
    public void close(Duration timeout) {
        PoolState previous = state.getAndSet(PoolState.CLOSED);
        if (previous == PoolState.CLOSED) {
            return;
        }
        bag.close(new SQLException("Pool '" + name + "' was closed while waiting for a connection", "08003"));
        housekeeper.stop();
        long deadline = System.nanoTime() + timeout.toNanos();
        retireIdleNow(null);
        if (!awaitDrained(deadline)) {
            int forced = 0;
            for (PooledConnection entry : bag.entries()) {
                long w = entry.word();
                if (PooledConnection.stateOf(w) == PooledConnection.BORROWED && entry.endLease(w)) {
                    Connector.closeQuietly(entry.raw); // on this thread: the borrower's next call must fail now
                    entry.markClosed();
                    bag.remove(entry);
                    supply.released();
                    retiredBorrows.add(entry.borrowCount);
                    forced++;
                }
            }
            if (forced > 0) {
                log.warn("Pool '{}' closed {} connection(s) still borrowed after shutdown-timeout", name, forced);
            }
        }
        workers.shutdown();
        log.info("Pool '{}' closed", name);
    }

    /** Retires every idle connection now; counted as evictions if {@code reason} is given. */
    private void retireIdleNow(EvictionReason reason) {
        for (PooledConnection entry : bag.entries()) {
            if (entry.tryReserve()) {
                retire(entry, reason);
            }
        }
    }

    // ---- views ---------------------------------------------------------------------------------------

    /** One pass over the entries: idle ones are idle, all others (lent, or in a pool thread's hands) active. */
    public PoolStats stats() {
        PooledConnection[] all = bag.entries();
        int idle = 0;
        long borrowed = retiredBorrows.sum();
        for (PooledConnection e : all) {
            if (e.state() == PooledConnection.IDLE) {
                idle++;
            }
            borrowed += e.borrowCount;
        }
        return new PoolStats(all.length - idle, idle, all.length, bag.waiting(), maxSize, minSize,
                borrowed, events.created.sum(), events.waits.sum(), events.timeouts.sum(), events.evictions());
    }

    public PoolState state() {
        return state.get();
    }

    /** Every open connection, as the pool sees it now. */
    public List<ConnectionInfo> connections() {
        long now = clock.nanoTime();
        List<ConnectionInfo> infos = new ArrayList<>();
        for (PooledConnection e : bag.entries()) {
            long ageMs = TimeUnit.NANOSECONDS.toMillis(now - e.createdAt);
            if (e.state() == PooledConnection.IDLE) {
                infos.add(new ConnectionInfo("idle", ageMs, e.borrowCount, null, null, null, null));
                continue;
            }
            long lease = e.word();
            Thread borrower = e.borrower;
            Throwable site = e.borrowSite();
            long lastActive = e.watchedLease == lease ? e.lastActiveAt : e.borrowedAt;
            infos.add(new ConnectionInfo("active", ageMs, e.borrowCount,
                    TimeUnit.NANOSECONDS.toMillis(Math.max(0, now - e.borrowedAt)),
                    TimeUnit.NANOSECONDS.toMillis(Math.max(0, now - lastActive)),
                    borrower == null ? null : borrower.getName(),
                    site == null ? null : stackOf(site)));
        }
        return infos;
    }

    private static String stackOf(Throwable site) {
        StringBuilder text = new StringBuilder();
        for (StackTraceElement frame : site.getStackTrace()) {
            text.append("at ").append(frame).append('\n');
        }
        return text.toString();
    }

    public String name() {
        return name;
    }

    public boolean isClosed() {
        return state.get() == PoolState.CLOSED;
    }

    int maxSize() {
        return maxSize;
    }

    int minSize() {
        return minSize;
    }

    ConnectionSupply supply() {
        return supply;
    }

    public int minIdle() {
        return minIdle;
    }

    public SQLException lastConnectError() {
        return supply.lastError();
    }

    public void addListener(PoolListener listener) {
        events.add(listener);
    }

    public void removeListener(PoolListener listener) {
        events.remove(listener);
    }

    Events events() {
        return events;
    }

    Workers workers() {
        return workers;
    }

    Housekeeper housekeeper() {
        return housekeeper;
    }

    ConnectionBag bag() {
        return bag;
    }

    Clock clock() {
        return clock;
    }
}
