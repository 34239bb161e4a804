package dev.pool.engine;

import dev.pool.PoolConfig;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * All of the pool's timed work, on one daemon thread named after the pool: it refreshes the
 * pool's coarse clock, retires idle connections by idle time and age, keeps {@code min-idle} filled,
 * and runs the connect retries the supply schedules.
 *
 * <p>The pass runs every quarter of {@code validation-interval} (between 10 ms and 250 ms), which
 * bounds how stale the fast path's coarse clock can be: that clock is why borrowing and returning
 * read no timer when no metrics are bound (each read costs ~25 ns, a third of a whole borrow).
 */
final class Housekeeper {

    private static final long MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final ConnectionPool pool;
    private final ScheduledThreadPoolExecutor executor;
    private final long periodNanos;

    Housekeeper(ConnectionPool pool, PoolConfig config) {
        this.pool = pool;
        long quarter = config.getValidationInterval().toNanos() / 4;
        this.periodNanos = quarter == 0 ? MAX_PERIOD_NANOS : Math.max(MIN_PERIOD_NANOS, Math.min(MAX_PERIOD_NANOS, quarter));
        this.executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, config.getName() + "-housekeeper");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    void start() {
        executor.scheduleWithFixedDelay(this::run, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    /** One pass of timed work, now. Tests call it after moving their clock. */
    void run() {
        try {
            pool.retireIdle(pool.clock().nanoTime());
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Housekeeper.class).warn("Pool '{}' housekeeping failed", pool.name(), e);
        }
    }

    void schedule(Runnable task, long delayNanos) {
        if (!executor.isShutdown()) {
            executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    void stop() {
        executor.shutdownNow();
    }

    boolean isTerminated() {
        return executor.isTerminated();
    }
}
