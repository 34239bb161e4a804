package dev.pool.engine;

import dev.pool.EvictionReason;
import dev.pool.PoolConfig;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All of the pool's timed work, one pass at a time on the {@link Scheduler}'s thread. Each pass:
 * <ol>
 *   <li>refreshes the pool's {@link CoarseClock};</li>
 *   <li>retires idle connections the {@link RetirementPolicy} says to (idle time, reuse time, left
 *       over by {@code evictAll()} or a smaller {@code max-size}), and sends those unchecked for
 *       {@code keepalive-interval} to the {@link Validator};</li>
 *   <li>looks at every borrowed connection: warns once about a leak past
 *       {@code leak-detection-threshold}, and reclaims one with no JDBC call (and none in progress)
 *       for {@code abandoned-connection-timeout};</li>
 *   <li>asks the supply to open what {@code min-idle} and the waiters need.</li>
 * </ol>
 *
 * <p>A pass runs every quarter of the shortest enabled interval among validation, keepalive, leak
 * and abandonment (between 10 ms and 250 ms). That bounds how stale the coarse clock is, and so how
 * late a rule can act. Borrowed connections are watched without any cost to the borrower: the pass
 * notes when it first sees each lease and whether the lease's call counters moved since its last
 * look. A pass that throws (an {@link Error} too) is logged and the next runs as usual: the
 * scheduler would otherwise never run it again.
 */
final class Housekeeper {

    private static final Logger log = LoggerFactory.getLogger(Housekeeper.class);
    private static final long MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final String poolName;
    private final CoarseClock time;
    private final ConnectionBag bag;
    private final RetirementPolicy policy;
    private final Retirement retirement;
    private final Validator validator;
    private final ConnectionSupply supply;
    private final Events events;
    private final Scheduler scheduler;
    private final ReentrantLock passLock = new ReentrantLock(); // the scheduled pass and a test's pass never overlap
    private final long periodNanos;
    private final long keepaliveNanos;
    private final long leakThresholdNanos;
    private final long abandonedNanos;

    Housekeeper(PoolConfig config, CoarseClock time, ConnectionBag bag, RetirementPolicy policy, Retirement retirement,
                Validator validator, ConnectionSupply supply, Events events, Scheduler scheduler) {
        this.poolName = config.getName();
        this.time = time;
        this.bag = bag;
        this.policy = policy;
        this.retirement = retirement;
        this.validator = validator;
        this.supply = supply;
        this.events = events;
        this.scheduler = scheduler;
        this.keepaliveNanos = config.getKeepaliveInterval().toNanos();
        this.leakThresholdNanos = config.getLeakDetectionThreshold().toNanos();
        this.abandonedNanos = config.getAbandonedConnectionTimeout().toNanos();
        long shortest = Long.MAX_VALUE;
        for (long interval : new long[] {config.getValidationInterval().toNanos(), keepaliveNanos, leakThresholdNanos, abandonedNanos}) {
            if (interval > 0) {
                shortest = Math.min(shortest, interval);
            }
        }
        this.periodNanos = Math.max(MIN_PERIOD_NANOS, Math.min(MAX_PERIOD_NANOS, shortest / 4));
    }

    /** Whether borrowers' stacks are worth capturing: someone will report them. */
    boolean watchesBorrowers() {
        return leakThresholdNanos > 0 || abandonedNanos > 0;
    }

    void start() {
        scheduler.every(this::run, periodNanos);
    }

    /** One pass of timed work, now. Tests call it after moving their clock. */
    void run() {
        passLock.lock();
        try {
            long now = time.refresh();
            retireIdle(now);
            watchBorrowed(now);
            supply.replenish();
        } catch (Throwable e) {
            log.warn("Pool '{}' housekeeping pass failed; the next one runs as usual", poolName, e);
        } finally {
            passLock.unlock();
        }
    }

    private void retireIdle(long now) {
        PooledConnection[] entries = bag.entries();
        int idle = bag.idleCount();
        int total = entries.length;
        for (PooledConnection entry : entries) {
            if (entry.state() != PooledConnection.IDLE) {
                continue;
            }
            EvictionReason reason = policy.whileIdle(entry, now, idle, total);
            if (reason != null) {
                if (entry.tryReserve()) {
                    retirement.retire(entry, reason);
                    idle--;
                    total--;
                }
            } else if (keepaliveNanos > 0 && now - entry.lastAliveAt() > keepaliveNanos && entry.tryReserve()) {
                validator.validateLater(entry);
            }
        }
    }

    private void watchBorrowed(long now) {
        for (PooledConnection entry : bag.entries()) {
            long lease = entry.word();
            if (PooledConnection.stateOf(lease) != PooledConnection.BORROWED) {
                continue;
            }
            int enters = entry.enters;
            if (entry.watchedLease != lease) { // first look at this lease: start its clocks now
                entry.watchedLease = lease;
                entry.watchedSince = now;
                entry.lastActiveAt = now;
                entry.watchedEnters = enters;
                continue;
            }
            if (enters != entry.watchedEnters || enters != entry.exits) { // used since the last look, or in a call now
                entry.watchedEnters = enters;
                entry.lastActiveAt = now;
            }
            if (abandonedNanos > 0 && now - entry.lastActiveAt > abandonedNanos) {
                reclaim(entry, lease, now - entry.lastActiveAt);
            } else if (leakThresholdNanos > 0 && entry.leakReportedLease != lease && now - entry.watchedSince > leakThresholdNanos) {
                reportLeak(entry, lease, now - entry.watchedSince);
            }
        }
    }

    /**
     * Takes back a connection its borrower abandoned: the lease ends (the borrower's handle now
     * throws, saying so), the work is rolled back, the connection closed and its slot freed.
     */
    private void reclaim(PooledConnection entry, long lease, long unusedNanos) {
        entry.reclaimedLease = lease; // before the lease ends, so the borrower's next call can tell why
        if (!entry.endLease(lease)) {
            entry.reclaimedLease = -1; // returned at the last moment
            return;
        }
        Thread borrower = entry.borrower;
        log.warn("Pool '{}' reclaimed a connection abandoned by thread '{}': no JDBC call for {} ms (abandoned-connection-timeout)",
                poolName, borrower == null ? "?" : borrower.getName(), TimeUnit.NANOSECONDS.toMillis(unusedNanos), entry.borrowSite());
        retirement.retire(entry, EvictionReason.ABANDONED);
    }

    private void reportLeak(PooledConnection entry, long lease, long heldNanos) {
        entry.leakReportedLease = lease;
        Thread borrower = entry.borrower;
        String thread = borrower == null ? "?" : borrower.getName();
        Throwable site = entry.borrowSite();
        log.warn("Pool '{}': possible connection leak: borrowed {} ms ago by thread '{}' and not returned (leak-detection-threshold {} ms)",
                poolName, TimeUnit.NANOSECONDS.toMillis(heldNanos), thread, TimeUnit.NANOSECONDS.toMillis(leakThresholdNanos), site);
        events.leakSuspected(thread, heldNanos, site);
    }
}
