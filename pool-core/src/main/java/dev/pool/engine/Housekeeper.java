package dev.pool.engine;

import dev.pool.EvictionReason;
import dev.pool.PoolConfig;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All of the pool's timed work, on one daemon thread named after the pool. Each pass:
 * <ol>
 *   <li>refreshes the pool's coarse clock;</li>
 *   <li>retires idle connections by {@code max-idle-time} and {@code max-reuse-time} (and those an
 *       {@code evictAll()} or a smaller {@code max-size} left over), never below {@code min-size} or
 *       {@code min-idle};</li>
 *   <li>sends idle connections unchecked for {@code keepalive-interval} to be validated;</li>
 *   <li>looks at every borrowed connection: warns once about a leak past
 *       {@code leak-detection-threshold}, and reclaims one with no JDBC call (and none in progress)
 *       for {@code abandoned-connection-timeout};</li>
 *   <li>asks the supply to open what {@code min-idle} and the waiters need.</li>
 * </ol>
 * It also runs the connect retries the supply schedules.
 *
 * <p>A pass runs every quarter of the shortest enabled interval among validation, keepalive, leak
 * and abandonment (between 10 ms and 250 ms). That bounds how stale the fast path's coarse clock
 * is, and so how late a rule can act: the clock is why borrowing and returning read no timer when no
 * metrics are bound (each read costs ~25 ns here, a third of a whole borrow). Borrowed connections
 * are watched without any cost to the borrower: the pass notes when it first sees each lease and
 * whether the lease's call counters moved since its last look.
 */
final class Housekeeper {

    private static final Logger log = LoggerFactory.getLogger(Housekeeper.class);
    private static final long MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final ConnectionPool pool;
    private final ScheduledThreadPoolExecutor executor;
    private final ReentrantLock passLock = new ReentrantLock(); // the scheduled pass and a test's pass never overlap
    private final long periodNanos;
    private final long maxIdleTimeNanos;
    private final long keepaliveNanos;
    private final long leakThresholdNanos;
    private final long abandonedNanos;

    Housekeeper(ConnectionPool pool, PoolConfig config) {
        this.pool = pool;
        this.maxIdleTimeNanos = config.getMaxIdleTime().toNanos();
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
        this.executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, config.getName() + "-housekeeper");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    /** Whether borrowers' stacks are worth capturing: someone will report them. */
    boolean watchesBorrowers() {
        return leakThresholdNanos > 0 || abandonedNanos > 0;
    }

    void start() {
        executor.scheduleWithFixedDelay(this::run, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    /** One pass of timed work, now. Tests call it after moving their clock. */
    void run() {
        passLock.lock();
        try {
            long now = pool.clock().nanoTime();
            pool.tick(now);
            retireIdle(now);
            watchBorrowed(now);
            pool.supply().replenish();
        } catch (Throwable e) { // an Error too: a task that throws is never scheduled again, and eviction, leak detection and the coarse clock would stop
            log.warn("Pool '{}' housekeeping pass failed; the next one runs as usual", pool.name(), e);
        } finally {
            passLock.unlock();
        }
    }

    private void retireIdle(long now) {
        PooledConnection[] entries = pool.bag().entries();
        int idle = pool.idleCount();
        int total = entries.length;
        for (PooledConnection entry : entries) {
            if (entry.state() != PooledConnection.IDLE) {
                continue;
            }
            EvictionReason reason = pool.isLeftOver(entry) ? EvictionReason.MANUAL
                    : now - entry.retireAt >= 0 ? EvictionReason.REUSE_TIME
                    : maxIdleTimeNanos > 0 && now - entry.lastReturnedAt > maxIdleTimeNanos
                            && total > pool.minSize() && idle > pool.minIdle() ? EvictionReason.IDLE_TIME
                    : null;
            if (reason != null) {
                if (entry.tryReserve()) {
                    pool.retire(entry, reason);
                    idle--;
                    total--;
                }
            } else if (keepaliveNanos > 0 && now - entry.lastAliveAt() > keepaliveNanos && entry.tryReserve()) {
                pool.validateOnWorker(entry);
            }
        }
    }

    private void watchBorrowed(long now) {
        for (PooledConnection entry : pool.bag().entries()) {
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
                pool.reclaim(entry, lease, now - entry.lastActiveAt);
            } else if (leakThresholdNanos > 0 && entry.leakReportedLease != lease && now - entry.watchedSince > leakThresholdNanos) {
                entry.leakReportedLease = lease;
                Thread borrower = entry.borrower;
                String thread = borrower == null ? "?" : borrower.getName();
                Throwable site = entry.borrowSite();
                long held = now - entry.watchedSince;
                log.warn("Pool '{}': possible connection leak: borrowed {} ms ago by thread '{}' and not returned (leak-detection-threshold {} ms)",
                        pool.name(), TimeUnit.NANOSECONDS.toMillis(held), thread, TimeUnit.NANOSECONDS.toMillis(leakThresholdNanos), site);
                pool.events().leakSuspected(thread, held, site);
            }
        }
    }

    /** Runs {@code task} once after the delay; null (and never run) once the pool has stopped. */
    java.util.concurrent.Future<?> schedule(Runnable task, long delayNanos) {
        try {
            return executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            return null;
        }
    }

    void stop() {
        executor.shutdownNow();
    }
}
