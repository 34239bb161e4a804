package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pool.test.SimulatedWork;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SPEC "Overload protection" on the stub driver: max-pending, early rejection, the per-call budget,
 * {@link WaitBudget} and pool deadlocks, each failing at once with its reason counted, and none of
 * them failing a caller the pool can serve. "At once" is shown without a clock: the pools here wait
 * 30 s by default, and every bounded wait in the tests is far shorter, so a caller the pool merely
 * timed out would fail the test.
 */
class OverloadProtectionTest {

    /** Held by a contended lease to give the pool a hold time; far above any budget a test then asks for. */
    private static final long HOLD_MILLIS = 300;

    @RegisterExtension
    final StubPools pools = new StubPools();

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void callerBeyondMaxPendingFailsAtOnceSayingTheQueueIsFull() throws Exception {
        PoolDataSource pool = pools.create(c -> {
            c.setMaxSize(1);
            c.setMaxPending(1);
        });
        try (Connection held = pool.getConnection()) {
            Borrower waiting = Borrower.parked(pool, c -> { });
            assertThatThrownBy(pool::getConnection).isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("'test'").hasMessageContaining("queue full").hasMessageContaining("1 callers pending")
                    .hasMessageContaining("pool.max-pending is 1");
            assertThat(waiting.isDone()).as("the waiter within max-pending keeps waiting").isFalse();
            held.close();
            waiting.join();
        }
        assertThat(pool.stats().rejections()).containsEntry(RejectionReason.QUEUE_FULL, 1L)
                .containsEntry(RejectionReason.PREDICTED_TIMEOUT, 0L).containsEntry(RejectionReason.DEADLOCK, 0L);
        assertThat(pool.stats().rejectionsTotal()).isEqualTo(1);
        assertThat(pool.stats().timeouts()).isZero();
    }

    @Test
    void maxPendingZeroQueuesEveryone() throws Exception {
        PoolDataSource pool = pools.create(c -> c.setMaxSize(1));
        List<Borrower> waiting = new ArrayList<>();
        try (Connection held = pool.getConnection()) {
            for (int i = 0; i < 5; i++) {
                waiting.add(Borrower.parked(pool, c -> { }));
            }
        }
        for (Borrower b : waiting) {
            b.join();
        }
        assertThat(pool.stats().rejectionsTotal()).isZero();
    }

    @Test
    void waiterPredictedToOutwaitItsBudgetFailsAtOnce() throws Exception {
        PoolDataSource pool = pools.create(c -> c.setMaxSize(1));
        measureHold(pool);
        try (Connection held = pool.getConnection()) {
            assertThat(failureOf(() -> pool.getConnection(Duration.ofMillis(HOLD_MILLIS / 30))))
                    .isInstanceOf(SQLTransientConnectionException.class).hasMessageContaining("'test'")
                    .hasMessageContaining("predicted-timeout").hasMessageContaining("early-rejection");
            assertThat(failureOf(() -> {
                try (WaitBudget.Scope budget = WaitBudget.limit(Duration.ofMillis(HOLD_MILLIS / 30))) {
                    return pool.getConnection();
                }
            })).hasMessageContaining("predicted-timeout");
        }
        assertThat(pool.stats().rejections()).containsEntry(RejectionReason.PREDICTED_TIMEOUT, 2L);
        assertThat(pool.stats().timeouts()).isZero();
    }

    @Test
    void waiterWhoseTurnFitsItsWaitIsAdmitted() throws Exception {
        PoolDataSource pool = pools.create(c -> c.setMaxSize(1));
        measureHold(pool);
        Future<Boolean> served;
        try (Connection held = pool.getConnection()) {
            served = threads.submit(() -> {
                try (Connection c = pool.getConnection(Duration.ofSeconds(20))) {
                    return c.isValid(1);
                }
            });
            awaitPending(pool, 1);
        }
        assertThat(served.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.stats().rejectionsTotal()).isZero();
    }

    @Test
    void waiterHandedAConnectionWithLessThanAHoldLeftPassesItOnToTheNext() throws Exception {
        PoolDataSource pool = pools.create(c -> c.setMaxSize(1));
        measureHold(pool); // the mean hold is now between HOLD_MILLIS / 2 and HOLD_MILLIS
        long budgetMillis = 4 * HOLD_MILLIS;
        Future<String> first;
        Future<String> second;
        long firstDeadline;
        try (Connection held = pool.getConnection()) {
            firstDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(budgetMillis);
            first = threads.submit(() -> outcome(pool, Duration.ofMillis(budgetMillis)));
            awaitPending(pool, 1);
            second = threads.submit(() -> outcome(pool, Duration.ofSeconds(30)));
            awaitPending(pool, 2);
            // keep it until less than HOLD_MILLIS / 2 is left of the first waiter's wait: a duration, not a wait for an event
            SimulatedWork.until(firstDeadline - TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS / 3));
            org.junit.jupiter.api.Assumptions.assumeTrue(firstDeadline - System.nanoTime() > TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS / 10),
                    "the machine was too slow to return the connection before the first waiter's deadline");
        }
        assertThat(first.get(10, TimeUnit.SECONDS)).contains("predicted-timeout").contains("passed to the next caller");
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("served");
        assertThat(pool.stats().rejections()).containsEntry(RejectionReason.PREDICTED_TIMEOUT, 1L);
    }

    private static String outcome(PoolDataSource pool, Duration maxWait) {
        try (Connection c = pool.getConnection(maxWait)) {
            return "served";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    @Test
    void earlyRejectionOffLetsTheCallerWaitOutItsBudget() throws Exception {
        PoolDataSource pool = pools.create(c -> {
            c.setMaxSize(1);
            c.setEarlyRejection(false);
        });
        measureHold(pool);
        try (Connection held = pool.getConnection()) {
            assertThat(failureOf(() -> pool.getConnection(Duration.ofMillis(20)))).isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("no connection available within 20 ms").hasMessageContaining("getConnection(maxWait)");
        }
        assertThat(pool.stats().rejectionsTotal()).isZero();
        assertThat(pool.stats().timeouts()).isEqualTo(1);
    }

    @Test
    void neverRejectsWhileThePoolMayGrow() throws Exception {
        PoolDataSource pool = pools.create(c -> c.setMaxSize(1));
        measureHold(pool);
        pool.close();
        PoolDataSource bigger = pools.create(c -> c.setMaxSize(2));
        measureHold(bigger);
        bigger.evictIdle(); // both closed: the next two borrows each open one
        try (Connection first = bigger.getConnection(); Connection second = bigger.getConnection(Duration.ofMillis(HOLD_MILLIS / 30))) {
            assertThat(second.isValid(1)).isTrue();
        }
        assertThat(bigger.stats().rejectionsTotal()).isZero();
    }

    @Test
    void neverRejectsWhileAConnectionIsIdle() throws Exception {
        PoolDataSource pool = pools.create(c -> c.setMaxSize(2));
        measureHold(pool);
        try (Connection held = pool.getConnection(); Connection other = pool.getConnection(Duration.ZERO)) {
            assertThat(other.isValid(1)).isTrue();
        }
        assertThat(pool.stats().rejectionsTotal()).isZero();
    }

    @Test
    void perCallBudgetBoundsTheWaitAndNeverExceedsConnectionWaitTimeout() throws Exception {
        PoolDataSource pool = pools.create(c -> {
            c.setMaxSize(1);
            c.setConnectionWaitTimeout(Duration.ofMillis(50));
        });
        try (Connection held = pool.getConnection()) {
            assertThat(failureOf(() -> pool.getConnection(Duration.ofMillis(10)))).isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("within 10 ms (the caller's getConnection(maxWait))");
            assertThat(failureOf(() -> pool.getConnection(Duration.ofHours(1)))).isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("within 50 ms (connection-wait-timeout)");
            assertThat(failureOf(() -> pool.getConnection(Duration.ZERO))).isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("within 0 ms");
        }
        try (Connection c = pool.getConnection(Duration.ZERO)) {
            assertThat(c.isValid(1)).as("a free connection needs no wait").isTrue();
        }
    }

    @Test
    void badPerCallBudgetIsRefusedNamingIt() {
        PoolDataSource pool = pools.create();
        assertThatThrownBy(() -> pool.getConnection(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxWait").hasMessageContaining("-0.001");
        assertThatThrownBy(() -> pool.getConnection((Duration) null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxWait");
        assertThatThrownBy(() -> WaitBudget.limit(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxWait");
    }

    @Test
    void waitBudgetBoundsEveryBorrowOnTheThread() throws Exception {
        PoolDataSource pool = pools.create(c -> {
            c.setMaxSize(1);
            c.setEarlyRejection(false);
        });
        try (Connection held = pool.getConnection()) {
            assertThat(failureOf(() -> {
                try (WaitBudget.Scope budget = WaitBudget.limit(Duration.ofMillis(10))) {
                    return pool.getConnection();
                }
            })).isInstanceOf(SQLTransientConnectionException.class).hasMessageContaining("(the thread's WaitBudget)");
        }
    }

    @Test
    void nestedWaitBudgetsKeepTheEarlierDeadlineAndCloseRestoresTheOuter() {
        assertThat(WaitBudget.deadlineNanos()).isEqualTo(Long.MIN_VALUE);
        try (WaitBudget.Scope outer = WaitBudget.limit(Duration.ofHours(1))) {
            long outerDeadline = WaitBudget.deadlineNanos();
            try (WaitBudget.Scope longer = WaitBudget.limit(Duration.ofHours(2))) {
                assertThat(WaitBudget.deadlineNanos()).as("a later deadline does not extend the outer one").isEqualTo(outerDeadline);
                try (WaitBudget.Scope shorter = WaitBudget.limit(Duration.ofMillis(5))) {
                    assertThat(WaitBudget.deadlineNanos() - outerDeadline).as("an earlier deadline wins").isNegative();
                }
                assertThat(WaitBudget.deadlineNanos()).isEqualTo(outerDeadline);
            }
            assertThat(WaitBudget.deadlineNanos()).isEqualTo(outerDeadline);
        }
        assertThat(WaitBudget.deadlineNanos()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void twoThreadsEachHoldingOneOfTwoAndAskingForASecondFailAtOnceAsDeadlock() throws Exception {
        for (int round = 0; round < 20; round++) {
            PoolDataSource pool = pools.create(c -> c.setMaxSize(2));
            CyclicBarrier bothHold = new CyclicBarrier(2);
            List<Future<String>> nested = List.of(threads.submit(nestedBorrow(pool, bothHold)), threads.submit(nestedBorrow(pool, bothHold)));
            for (Future<String> outcome : nested) {
                assertThat(outcome.get(10, TimeUnit.SECONDS)).contains("deadlock").contains("'test'")
                        .contains("OverloadProtectionTest.lambda$nestedBorrow")
                        .contains("smallest safe max-size is 3 (2 threads x (2 connections each - 1) + 1)");
            }
            assertThat(pool.stats().rejections()).containsEntry(RejectionReason.DEADLOCK, 2L);
            assertThat(pool.stats()).extracting(PoolStats::active, PoolStats::pending).containsExactly(0, 0);
            pool.close();
        }
    }

    @Test
    void nestedBorrowsWithAConnectionFreeAreNoDeadlock() throws Exception {
        for (int round = 0; round < 20; round++) {
            PoolDataSource pool = pools.create(c -> c.setMaxSize(3));
            CyclicBarrier bothHold = new CyclicBarrier(2);
            List<Future<String>> nested = List.of(threads.submit(nestedBorrow(pool, bothHold)), threads.submit(nestedBorrow(pool, bothHold)));
            for (Future<String> outcome : nested) {
                assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("served");
            }
            assertThat(pool.stats().rejectionsTotal()).isZero();
            pool.close();
        }
    }

    @Test
    void aConnectionHeldByAThreadNotWaitingIsNoDeadlock() throws Exception {
        PoolDataSource pool = pools.create(c -> c.setMaxSize(2));
        try (Connection heldByMain = pool.getConnection()) {
            Future<String> nested = threads.submit(() -> {
                try (Connection first = pool.getConnection(); Connection second = pool.getConnection(Duration.ofMillis(200))) {
                    return "served";
                } catch (SQLException e) {
                    return e.getMessage();
                }
            });
            assertThat(nested.get(10, TimeUnit.SECONDS)).contains("no connection available within 200 ms").doesNotContain("deadlock");
        }
        assertThat(pool.stats().rejectionsTotal()).isZero();
    }

    /** Borrows one, waits until the other thread holds one too, then asks for a second. */
    private static Callable<String> nestedBorrow(PoolDataSource pool, CyclicBarrier bothHold) {
        return () -> {
            try (Connection first = pool.getConnection()) {
                bothHold.await(10, TimeUnit.SECONDS);
                try (Connection second = pool.getConnection()) {
                    return "served";
                }
            } catch (SQLException e) {
                return e.getMessage();
            }
        };
    }

    /**
     * Gives the pool a measured hold time of at least {@link #HOLD_MILLIS}: every connection is
     * held, a waiter queues, is handed a connection in turn and keeps it that long.
     */
    private void measureHold(PoolDataSource pool) throws Exception {
        List<Connection> all = new ArrayList<>();
        for (int i = 0; i < pool.getMaxSize(); i++) {
            all.add(pool.getConnection());
        }
        Borrower holder = Borrower.parked(pool, c -> SimulatedWork.lasting(Duration.ofMillis(HOLD_MILLIS))); // a hold to measure
        for (Connection c : all) {
            c.close();
        }
        holder.join();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().active() == 0); // join ends before its close
    }

    /**
     * What {@code borrow} fails with on another thread (this one holds a connection: asking for
     * another here would be a pool deadlock of one thread, and is failed as one).
     */
    private Throwable failureOf(Callable<Connection> borrow) throws Exception {
        Future<Connection> outcome = threads.submit(borrow);
        try {
            outcome.get(10, TimeUnit.SECONDS).close();
            throw new AssertionError("expected the borrow to fail, it was served");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    @Test
    void aThreadAskingForAnotherWhileItHoldsEveryConnectionIsADeadlockOfOne() throws Exception {
        PoolDataSource pool = pools.create(c -> c.setMaxSize(1));
        try (Connection held = pool.getConnection()) {
            assertThatThrownBy(pool::getConnection).isInstanceOf(SQLTransientConnectionException.class).hasMessageContaining("deadlock")
                    .hasMessageContaining("smallest safe max-size is 2 (1 threads x (2 connections each - 1) + 1)");
        }
        assertThat(pool.stats().rejections()).containsEntry(RejectionReason.DEADLOCK, 1L);
    }

    private static void awaitPending(PoolDataSource pool, int pending) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().pending() == pending);
    }

}
