package dev.pool.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pool.test.StubDriver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A closed bag never lends and never keeps an entry idle: every entry offered after
 * {@link ConnectionBag#close} goes to the discard it was given. The races with close (a waiter
 * giving back what it claimed, a resume) are replayed here one step at a time. So does an emptying
 * one ({@link ConnectionBag#startEmptying}, for quiesce), without failing its waiters.
 */
class ConnectionBagCloseTest {

    private final StubDriver driver = new StubDriver();
    private final ConnectionBag bag = new ConnectionBag();
    private final List<PooledConnection> discarded = new CopyOnWriteArrayList<>();

    private PooledConnection idleEntry() throws SQLException {
        PooledConnection entry = new PooledConnection(null, driver.dataSource().getConnection(), null, 0, Long.MAX_VALUE, 0);
        bag.add(entry);
        bag.offer(entry);
        return entry;
    }

    private void close() {
        bag.close(new SQLException("closed", "08003"), discarded::add);
    }

    @Test
    void anEntryClaimedAsCloseBeganAndGivenBackAfterItsSweepIsDiscarded() throws SQLException {
        PooledConnection entry = idleEntry();
        long lease = entry.tryClaim(); // a waiter claims it...
        close(); // ...close fails that waiter, and its sweep of idle entries finds none: this one is claimed
        for (PooledConnection e : bag.entries()) {
            assertThat(e.tryReserve()).isFalse();
        }
        assertThat(entry.endLease(lease)).isTrue(); // ...the waiter gives it back
        bag.offer(entry);

        assertThat(discarded).containsExactly(entry);
        assertThat(entry.state()).as("owned by the discard, never idle").isEqualTo(PooledConnection.RESERVED);
    }

    @Test
    void anEntryReturnedAfterCloseIsDiscarded() throws SQLException {
        PooledConnection entry = idleEntry();
        long lease = bag.poll().word();
        close();
        entry.endLease(lease);
        bag.offer(entry);
        assertThat(discarded).containsExactly(entry);
    }

    @Test
    void aResumeAfterCloseLendsNothing() throws SQLException {
        idleEntry();
        bag.setLending(false); // suspended
        close();
        bag.setLending(true); // a resume that lost the race with close
        assertThat(bag.poll()).isNull();
    }

    @Test
    void anEntryOfferedWhileSuspendedStaysIdleForTheResume() throws SQLException {
        PooledConnection entry = idleEntry();
        long lease = bag.poll().word();
        bag.setLending(false);
        entry.endLease(lease);
        bag.offer(entry);
        assertThat(discarded).isEmpty();
        assertThat(entry.state()).isEqualTo(PooledConnection.IDLE);
        bag.setLending(true);
        assertThat(bag.poll()).isSameAs(entry);
    }

    @Test
    void anEntryReturnedWhileEmptyingIsDiscardedAndWaitersKeepWaiting() throws Exception {
        PooledConnection entry = idleEntry();
        long lease = bag.poll().word();
        bag.setLending(false);
        bag.startEmptying(discarded::add);
        CompletableFuture<PooledConnection> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return bag.await(TimeUnit.SECONDS.toNanos(30), ConnectionBag.Gate.OPEN, () -> { });
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> bag.waiting() == 1);

        entry.endLease(lease);
        bag.offer(entry);

        assertThat(discarded).containsExactly(entry);
        assertThat(entry.state()).isEqualTo(PooledConnection.RESERVED);
        assertThat(waiter).isNotDone();
        assertThat(bag.waiting()).isEqualTo(1);
        close(); // ends the waiter
        assertThat(waiter).failsWithin(Duration.ofSeconds(5));
    }

    @Test
    void afterStopEmptyingAnOfferedEntryStaysIdleForTheResume() throws SQLException {
        PooledConnection entry = idleEntry();
        long lease = bag.poll().word();
        bag.setLending(false);
        bag.startEmptying(discarded::add);
        bag.stopEmptying();
        entry.endLease(lease);
        bag.offer(entry);
        assertThat(discarded).isEmpty();
        bag.setLending(true);
        assertThat(bag.poll()).isSameAs(entry);
    }

    @Test
    void closeWhileEmptyingDiscardsToTheClosersDiscard() throws SQLException {
        PooledConnection entry = idleEntry();
        long lease = bag.poll().word();
        bag.setLending(false);
        List<PooledConnection> emptied = new CopyOnWriteArrayList<>();
        bag.startEmptying(emptied::add);
        close();
        entry.endLease(lease);
        bag.offer(entry);
        assertThat(discarded).containsExactly(entry);
        assertThat(emptied).isEmpty();
    }
}
