package dev.pool.engine;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pool's worker threads, in two lanes, so that no borrower waits on a slow database call it did
 * not make, and no close waits behind a connect.
 * <ul>
 *   <li><i>Connects</i>: up to {@code min(max-size, 8)} threads, further connects queued. A connect
 *       to a black-holed host can hang in a driver with no timeout of its own; it then holds its
 *       thread, and only that.</li>
 *   <li><i>Upkeep</i> (closes and validations): a thread for every task in flight, none queued. Each
 *       task concerns one connection the pool owns, and a connection has at most one at a time, so
 *       the lane never runs more threads than there are connections; and a close never waits behind
 *       anything, so a retired connection's slot is freed as soon as its driver lets go.</li>
 * </ul>
 * Daemon threads named after the pool, started on demand and gone after a few idle seconds, so an
 * idle pool holds no worker thread.
 */
final class Workers {

    private static final long KEEP_ALIVE_SECONDS = 5;
    /** How long close() waits for closes still running on the upkeep lane. */
    private static final long UPKEEP_GRACE_SECONDS = 5;
    private static final int MAX_PARALLEL_CONNECTS = 8;

    private final ThreadPoolExecutor connects;
    private final ThreadPoolExecutor upkeep;

    Workers(String poolName, int maxSize) {
        int threads = connectThreads(maxSize);
        connects = new ThreadPoolExecutor(threads, threads, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                named(poolName + "-connector-"));
        connects.allowCoreThreadTimeOut(true);
        upkeep = new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(),
                named(poolName + "-worker-"));
    }

    private static int connectThreads(int maxSize) {
        return Math.max(1, Math.min(maxSize, MAX_PARALLEL_CONNECTS));
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Runs a connect on the connect lane. */
    void connect(Runnable attempt) throws RejectedExecutionException {
        connects.execute(attempt);
    }

    /** Runs a close or a validation on the upkeep lane, on a thread of its own if none is free. */
    void upkeep(Runnable task) throws RejectedExecutionException {
        upkeep.execute(task);
    }

    /** Follows a resize: as many parallel connects as the new max-size allows, up to 8. */
    synchronized void resize(int maxSize) {
        int threads = connectThreads(maxSize);
        if (threads > connects.getMaximumPoolSize()) {
            connects.setMaximumPoolSize(threads);
            connects.setCorePoolSize(threads);
        } else {
            connects.setCorePoolSize(threads);
            connects.setMaximumPoolSize(threads);
        }
    }

    /**
     * Starts no more connects: returns the ones still queued (never started), for the caller to
     * cancel. Connects already running finish on their own; they are not waited for.
     */
    List<Runnable> stopConnecting() {
        connects.shutdown();
        List<Runnable> queued = new java.util.ArrayList<>();
        connects.getQueue().drainTo(queued);
        return queued;
    }

    /**
     * Stops both lanes: lets closes and validations in flight finish (a little while: one stuck in a
     * driver call is left to it), and interrupts connects still running.
     */
    void shutdown() {
        connects.shutdownNow();
        upkeep.shutdown();
        try {
            if (!upkeep.awaitTermination(UPKEEP_GRACE_SECONDS, TimeUnit.SECONDS)) {
                upkeep.shutdownNow(); // nothing is queued on this lane: only running tasks are interrupted
            }
        } catch (InterruptedException e) {
            upkeep.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
