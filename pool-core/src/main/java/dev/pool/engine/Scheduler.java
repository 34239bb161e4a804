package dev.pool.engine;

import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The pool's one timer thread, {@code <pool>-housekeeper}: it runs the housekeeping pass, the
 * supply's connect retries and the connect-timeout deadlines. Tasks here must be short; the slow
 * work they start runs on the {@link Workers}. A periodic task that throws is never run again by
 * the executor, so the housekeeper catches everything its pass throws.
 */
final class Scheduler {

    private final ScheduledThreadPoolExecutor executor;

    Scheduler(String poolName) {
        executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, poolName + "-housekeeper");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true); // cancelled connect deadlines do not pile up in the queue
    }

    /** Runs {@code task} every {@code periodNanos}, the first time after one period. */
    void every(Runnable task, long periodNanos) {
        try {
            executor.scheduleWithFixedDelay(task, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopped) {
            // the pool closed while starting
        }
    }

    /** Runs {@code task} once after the delay; null, and never run, once the pool has stopped. */
    Future<?> after(Runnable task, long delayNanos) {
        try {
            return executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopped) {
            return null;
        }
    }

    /** Runs nothing more; a task running now finishes. */
    void stop() {
        executor.shutdownNow();
    }
}
