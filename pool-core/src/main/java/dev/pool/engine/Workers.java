package dev.pool.engine;

import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pool's worker threads: they open, validate and close physical connections, so no borrower
 * waits on a slow database call it did not make. Daemon threads named after the pool, started on
 * demand and gone after a few idle seconds, so an idle pool holds no worker thread.
 */
final class Workers {

    private final ThreadPoolExecutor executor;

    Workers(String poolName, int threads) {
        AtomicInteger count = new AtomicInteger();
        executor = new ThreadPoolExecutor(threads, threads, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, poolName + "-worker-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.allowCoreThreadTimeOut(true);
    }

    void execute(Runnable task) {
        executor.execute(task);
    }

    <T> Future<T> submit(Callable<T> task) {
        return executor.submit(task);
    }

    /** Lets queued closes finish, then stops; waits a little for threads stuck in a driver call. */
    void shutdown() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
                executor.awaitTermination(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
