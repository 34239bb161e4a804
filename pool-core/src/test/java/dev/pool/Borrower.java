package dev.pool;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A thread that borrows from a pool, runs {@code use} on the connection and returns it. Tests
 * wait for it to be parked in the pool's queue, so the order of arrival is known.
 */
final class Borrower {

    interface Use {
        void accept(Connection connection) throws Exception;
    }

    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Thread thread;

    Borrower(PoolDataSource pool, Use use) {
        thread = new Thread(() -> {
            try (Connection c = pool.getConnection()) {
                use.accept(c);
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "borrower");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts a borrower and returns once it is parked waiting for a connection, and the pool serves
     * waiters in arrival order (it does once a waiter has waited the fairness window, 1 ms).
     */
    static Borrower parked(PoolDataSource pool, Use use) {
        Borrower b = new Borrower(pool, use);
        await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .until(() -> b.thread.getState() == Thread.State.TIMED_WAITING && pool.servesInOrder());
        return b;
    }

    /** Interrupts the borrower's thread. */
    void interrupt() {
        thread.interrupt();
    }

    /** Whether the borrower has finished, served or failed. */
    boolean isDone() {
        return done.isDone();
    }

    /** Waits for the borrower to finish; rethrows what it failed with. */
    void join() throws Exception {
        done.get(5, TimeUnit.SECONDS);
    }
}
