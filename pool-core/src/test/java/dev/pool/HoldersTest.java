package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Holders: call sites ranked by total hold time over the last 5 minutes. The test clock times the
 * holds, and moving it past the sampling interval (then a housekeeping pass, which refreshes the
 * pool's coarse clock) makes the next borrow of a connection a sample.
 */
class HoldersTest {

    @RegisterExtension
    final StubPools pools = new StubPools();

    private PoolDataSource pool;

    private PoolDataSource onePool(java.util.function.Consumer<PoolConfig> settings) {
        pool = pools.create(c -> {
            c.setMaxSize(1);
            c.setInitialSize(1); // open before the first borrow, so no borrow waits for a connect
            c.setValidationInterval(Duration.ZERO); // nor for a validation after the test clock moved
            settings.accept(c);
        });
        return pool;
    }

    /** The next borrow of each connection will be sampled. */
    private void nextBorrowSampled() {
        pools.clock.advance(Duration.ofMillis(200));
        pool.runHousekeeping();
    }

    private void exportOrders(Duration hold) throws SQLException {
        try (Connection c = pool.getConnection()) {
            pools.clock.advance(hold);
        }
    }

    private void lookUpCustomer(Duration hold) throws SQLException {
        try (Connection c = pool.getConnection()) {
            pools.clock.advance(hold);
        }
    }

    @Test
    void ranksCallSitesByTotalHoldTime() throws SQLException {
        onePool(c -> { });
        for (int i = 0; i < 10; i++) {
            nextBorrowSampled();
            lookUpCustomer(Duration.ofMillis(10));
        }
        for (int i = 0; i < 3; i++) {
            nextBorrowSampled();
            exportOrders(Duration.ofSeconds(2));
        }

        List<Holder> holders = pool.holders();

        assertThat(holders).hasSize(2);
        Holder first = holders.get(0);
        assertThat(first.site()).startsWith("dev.pool.HoldersTest.exportOrders(HoldersTest.java:");
        assertThat(first.borrows()).isEqualTo(3);
        assertThat(first.heldMs().total()).isEqualTo(6000.0);
        assertThat(first.heldMs().max()).isEqualTo(2000.0);
        assertThat(first.heldMs().p50()).isCloseTo(2000.0, within(250.0)); // a bucket is 12.5% wide
        assertThat(first.heldMs().p99()).isCloseTo(2000.0, within(250.0));
        Holder second = holders.get(1);
        assertThat(second.site()).startsWith("dev.pool.HoldersTest.lookUpCustomer(HoldersTest.java:");
        assertThat(second.borrows()).isEqualTo(10);
        assertThat(second.heldMs().total()).isEqualTo(100.0);
        assertThat(second.heldMs().max()).isEqualTo(10.0);
    }

    @Test
    void percentilesSeparateTheUsualHoldFromTheRareLongOne() throws SQLException {
        onePool(c -> { });
        for (int i = 0; i < 197; i++) {
            nextBorrowSampled();
            exportOrders(Duration.ofMillis(10));
        }
        for (int i = 0; i < 3; i++) { // the 198th of 200 (the 99th percentile's rank) is a long one
            nextBorrowSampled();
            exportOrders(Duration.ofSeconds(5));
        }

        Holder.HeldMs held = pool.holders().get(0).heldMs();

        assertThat(held.p50()).isCloseTo(10.0, within(1.25));
        assertThat(held.p99()).isCloseTo(5000.0, within(625.0));
        assertThat(held.max()).isEqualTo(5000.0);
        assertThat(held.total()).isEqualTo(197 * 10.0 + 3 * 5000.0);
    }

    @Test
    void eachSampleStandsForTheBorrowsSinceTheLastSoTheCountsAddUp() throws SQLException {
        onePool(c -> { });
        for (int round = 0; round < 4; round++) {
            nextBorrowSampled();
            for (int i = 0; i < 25; i++) { // only the first of these is sampled
                exportOrders(Duration.ofMillis(1));
            }
        }
        nextBorrowSampled();
        exportOrders(Duration.ofMillis(1)); // stands for the 24 unsampled borrows before it, and itself

        Holder holder = pool.holders().get(0);

        assertThat(holder.borrows()).isEqualTo(101).isEqualTo(pool.stats().borrowed());
        assertThat(holder.heldMs().total()).isEqualTo(101.0);
    }

    @Test
    void forgetsWhatIsOlderThanFiveMinutes() throws SQLException {
        onePool(c -> { });
        exportOrders(Duration.ofSeconds(1));
        pools.clock.advance(Duration.ofMinutes(2));
        nextBorrowSampled();
        lookUpCustomer(Duration.ofSeconds(1));

        pools.clock.advance(Duration.ofMinutes(3)); // the first hold's minute is 5 minutes old now
        assertThat(pool.holders()).extracting(Holder::site).singleElement().asString().contains("lookUpCustomer");

        pools.clock.advance(Duration.ofMinutes(2));
        assertThat(pool.holders()).isEmpty();
    }

    @Test
    void aTimeoutNamesTheTopHolders() throws SQLException {
        onePool(c -> c.setConnectionWaitTimeout(Duration.ofMillis(200)));
        exportOrders(Duration.ofSeconds(3));
        nextBorrowSampled();
        lookUpCustomer(Duration.ofSeconds(1));

        try (Connection held = pool.getConnection()) {
            // another thread waits: on this one a second borrow is a pool deadlock, failed at once
            CompletableFuture<Connection> other = CompletableFuture.supplyAsync(() -> {
                try {
                    return pool.getConnection();
                } catch (SQLException e) {
                    throw new CompletionException(e);
                }
            });
            assertThatThrownBy(other::join)
                    .hasCauseInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("top holders over the last 5 minutes: dev.pool.HoldersTest.exportOrders(HoldersTest.java:")
                    .hasMessageContaining("held 3000 ms over 1 borrow, dev.pool.HoldersTest.lookUpCustomer(HoldersTest.java:");
        }
    }

    @Test
    void trackHoldersOffKeepsNothing() throws SQLException {
        onePool(c -> c.setTrackHolders(false));
        exportOrders(Duration.ofSeconds(1));

        assertThat(pool.holders()).isEmpty();
    }

    @Test
    void adviceAppliesLittlesLawToTheSampledHolds() throws SQLException {
        onePool(c -> c.setMaxSize(4));
        for (int i = 0; i < 10; i++) {
            nextBorrowSampled(); // 200 ms idle
            exportOrders(Duration.ofSeconds(3));
        }

        Advice advice = pool.advice();

        // 30 s held in the 32 s since the start: 0.94 in use on average; 0.94 + 2 sqrt(0.94) = 2.9
        assertThat(advice.suggestedMaxSize()).isEqualTo(3);
        assertThat(advice.why()).startsWith("Over the last 32 s: 10 borrows (0.3/s) held a connection 3000.0 ms on average")
                .contains("0.94 connections were in use on average", "max-size 3 would do; it is 4 now.");
    }

    @Test
    void adviceWithoutHoldersSaysWhy() {
        onePool(c -> c.setTrackHolders(false));

        assertThat(pool.advice()).isEqualTo(new Advice(1, "track-holders is off, so there are no hold times to size by; max-size stays 1."));
    }
}
