package dev.pool.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * {@link ConnectionBag} on its own, with bare entries (no pool, no connection behind them): lending
 * and hand-off, when serving in order begins and ends, a waiter's timeout racing a hand-off, and
 * close with waiters. Every concurrent case runs many rounds.
 */
class ConnectionBagTest {

    private static final long LONG_WAIT = TimeUnit.SECONDS.toNanos(10);

    private final ConnectionBag bag = new ConnectionBag();

    /** A new entry in the bag, owned by the caller (RESERVED) until offered. */
    private PooledConnection added() {
        PooledConnection entry = new PooledConnection(null, null, null, 0, Long.MAX_VALUE, 0);
        bag.add(entry);
        return entry;
    }

    private PooledConnection idle() {
        PooledConnection entry = added();
        bag.offer(entry);
        return entry;
    }

    /** What a borrower's close() does: ends the lease, then puts the entry back. */
    private void giveBack(PooledConnection entry) {
        assertThat(entry.endLease(entry.word())).as("lease ended by its holder").isTrue();
        bag.offer(entry);
    }

    /** A thread in {@link ConnectionBag#await}; the future completes with what it returned or threw. */
    private CompletableFuture<PooledConnection> waiter(long timeoutNanos) {
        CompletableFuture<PooledConnection> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(bag.await(timeoutNanos, ConnectionBag.Gate.OPEN, () -> { }));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "bag-waiter");
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    private void awaitWaiting(int count) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).until(() -> bag.waiting() == count);
    }

    @Test
    void pollClaimsEachIdleEntryOnceAndNothingWhenNoneIsIdle() {
        PooledConnection a = idle();
        PooledConnection b = idle();

        PooledConnection first = bag.poll();
        PooledConnection second = bag.poll();

        assertThat(List.of(first, second)).containsExactlyInAnyOrder(a, b);
        assertThat(first.state()).isEqualTo(PooledConnection.BORROWED);
        assertThat(bag.poll()).isNull();
        giveBack(first);
        assertThat(bag.poll()).isSameAs(first);
    }

    @Test
    void aReturnedEntryReachesAParkedWaiter() throws Exception {
        PooledConnection entry = idle();
        PooledConnection held = bag.poll();
        CompletableFuture<PooledConnection> waiter = waiter(LONG_WAIT);
        awaitWaiting(1);

        giveBack(held);

        assertThat(waiter.get(5, TimeUnit.SECONDS)).isSameAs(entry);
        assertThat(entry.state()).isEqualTo(PooledConnection.BORROWED);
        assertThat(bag.waiting()).isZero();
    }

    @Test
    void aWaiterThatTimesOutGetsNothingAndLeavesTheQueue() throws Exception {
        idle();
        bag.poll();
        assertThat(bag.await(TimeUnit.MILLISECONDS.toNanos(20), ConnectionBag.Gate.OPEN, () -> { })).isNull();
        assertThat(bag.waiting()).isZero();
    }

    /**
     * Once a waiter has waited the fairness window, returns are handed to the oldest waiter (never
     * published idle for a newcomer); serving in order ends when the waiters queued as it began are
     * served, even though a later one still waits.
     */
    @Test
    void servingInOrderBeginsAfterTheWindowAndEndsOnceItsWaitersAreServed() throws Exception {
        idle();
        idle();
        PooledConnection heldA = bag.poll();
        PooledConnection heldB = bag.poll();
        assertThat(bag.servesInOrder()).isFalse();

        CompletableFuture<PooledConnection> starving = waiter(LONG_WAIT);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).until(bag::servesInOrder);
        CompletableFuture<PooledConnection> later = waiter(LONG_WAIT); // queued after serving in order began
        awaitWaiting(2);

        giveBack(heldA);
        assertThat(starving.get(5, TimeUnit.SECONDS)).as("handed to the oldest waiter").isSameAs(heldA);
        assertThat(bag.servesInOrder()).as("the one waiter it began for is served").isFalse();
        assertThat(later).isNotDone();

        giveBack(heldB);
        assertThat(later.get(5, TimeUnit.SECONDS)).isSameAs(heldB);
        assertThat(bag.waiting()).isZero();
    }

    @Test
    void whileServingInOrderAReturnGoesToTheWaiterNotToANewcomer() throws Exception {
        PooledConnection entry = idle();
        PooledConnection held = bag.poll();
        CompletableFuture<PooledConnection> waiter = waiter(LONG_WAIT);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).until(bag::servesInOrder);

        giveBack(held);
        assertThat(bag.poll()).as("a newcomer's fast path").isNull();

        assertThat(waiter.get(5, TimeUnit.SECONDS)).isSameAs(entry);
    }

    @Test
    void servingInOrderEndsWhenNobodyIsLeftWaiting() throws Exception {
        PooledConnection entry = idle();
        PooledConnection held = bag.poll();
        assertThat(bag.await(TimeUnit.MILLISECONDS.toNanos(50), ConnectionBag.Gate.OPEN, () -> { })).isNull(); // waits past the window, then gives up
        assertThat(bag.servesInOrder()).isTrue();

        giveBack(held);

        assertThat(bag.servesInOrder()).isFalse();
        assertThat(bag.poll()).as("published idle, nobody being left to hand it to").isSameAs(entry);
    }

    /**
     * A waiter's timeout races a return many times over: each round the entry ends up either with
     * the waiter, or idle for the next borrower; never lost, never with both.
     */
    @Test
    void aTimeoutRacingAHandOffNeitherLosesTheEntryNorLendsItTwice() throws Exception {
        PooledConnection entry = idle();
        int handedOff = 0;
        int timedOut = 0;
        for (int round = 0; round < 2_000; round++) {
            PooledConnection held = bag.poll();
            assertThat(held).as("round %d: the entry is free at the start", round).isSameAs(entry);
            long timeout = ThreadLocalRandom.current().nextLong(TimeUnit.MICROSECONDS.toNanos(300));
            CountDownLatch queued = new CountDownLatch(1);
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread waiter = new Thread(() -> {
                try {
                    PooledConnection got = bag.await(timeout, ConnectionBag.Gate.OPEN, queued::countDown);
                    outcome.set(got == null ? "timed out" : got);
                } catch (SQLException | RuntimeException e) {
                    outcome.set(e);
                }
            });
            waiter.start();
            assertThat(queued.await(5, TimeUnit.SECONDS)).isTrue();
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(TimeUnit.MICROSECONDS.toNanos(300)));
            giveBack(held);
            waiter.join(5_000);

            assertThat(waiter.isAlive()).as("round %d: the waiter returned", round).isFalse();
            assertThat(bag.waiting()).as("round %d: waiting", round).isZero();
            if (outcome.get() == entry) {
                handedOff++;
                assertThat(entry.state()).as("round %d: lent to the waiter", round).isEqualTo(PooledConnection.BORROWED);
                giveBack(entry);
            } else {
                timedOut++;
                assertThat(outcome.get()).as("round %d", round).isEqualTo("timed out");
                assertThat(entry.state()).as("round %d: idle again after the waiter gave up", round).isEqualTo(PooledConnection.IDLE);
            }
        }
        System.out.printf("timeout racing a hand-off: %d rounds handed off, %d timed out%n", handedOff, timedOut);
        assertThat(handedOff).as("rounds the waiter got the entry").isPositive();
    }

    /** Borrowers on the fast and the slow path share a few entries; each entry has one holder at a time. */
    @Test
    void entriesCirculateAmongManyThreadsAndNoneIsHeldTwice() throws Exception {
        int entries = 2;
        int threads = 8;
        int rounds = 5_000;
        List<AtomicReference<Thread>> holders = new ArrayList<>();
        List<PooledConnection> all = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            all.add(idle());
            holders.add(new AtomicReference<>());
        }
        Queue<String> violations = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < rounds; i++) {
                    try {
                        PooledConnection entry = bag.poll();
                        if (entry == null) {
                            entry = bag.await(LONG_WAIT, ConnectionBag.Gate.OPEN, () -> { });
                        }
                        if (entry == null) {
                            violations.add("timed out with entries circulating");
                            continue;
                        }
                        AtomicReference<Thread> holder = holders.get(all.indexOf(entry));
                        if (!holder.compareAndSet(null, Thread.currentThread())) {
                            violations.add("entry " + all.indexOf(entry) + " lent while held by " + holder.get());
                        }
                        Thread.onSpinWait();
                        holder.set(null);
                        giveBack(entry);
                    } catch (SQLException | RuntimeException | AssertionError e) {
                        violations.add(e.toString());
                    }
                }
            }, runnable -> {
                Thread thread = new Thread(runnable);
                thread.setDaemon(true);
                thread.start();
            }));
        }
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        assertThat(violations).isEmpty();
        assertThat(bag.waiting()).isZero();
        assertThat(all).allSatisfy(e -> assertThat(e.state()).isEqualTo(PooledConnection.IDLE));
    }

    @Test
    void closeFailsEveryWaiterAndEveryLaterOneWithItsError() throws Exception {
        idle();
        bag.poll();
        List<CompletableFuture<PooledConnection>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(waiter(LONG_WAIT));
        }
        awaitWaiting(3);
        SQLException closed = new SQLException("Pool 'bag' is closed", "08003");

        bag.close(closed, entry -> { });

        for (CompletableFuture<PooledConnection> waiter : waiters) {
            assertThatThrownBy(() -> waiter.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause().isSameAs(closed);
        }
        assertThat(bag.waiting()).isZero();
        assertThatThrownBy(() -> bag.await(LONG_WAIT, ConnectionBag.Gate.OPEN, () -> { })).isSameAs(closed);
        assertThat(bag.poll()).isNull();
    }

    @Test
    void whileNotLendingReturnsGoIdleAndWaitersWaitUntilLendingResumes() throws Exception {
        PooledConnection entry = idle();
        PooledConnection held = bag.poll();
        CompletableFuture<PooledConnection> waiter = waiter(LONG_WAIT);
        awaitWaiting(1);
        bag.setLending(false);

        giveBack(held);
        assertThat(entry.state()).isEqualTo(PooledConnection.IDLE);
        assertThat(bag.poll()).isNull();
        assertThat(waiter).isNotDone();

        bag.setLending(true);
        assertThat(waiter.get(5, TimeUnit.SECONDS)).isSameAs(entry);
    }
}
