package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import dev.pool.test.StubConnection;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link PoolDataSource#quiesce}: the pool empties itself and stays empty until
 * {@link PoolDataSource#resume()}, as a JVM checkpoint needs, and loses nothing on the way.
 */
class QuiesceTest {

    /** Long enough never to run out on a slow machine; the tests never wait for it to pass. */
    private static final Duration GENEROUS = Duration.ofSeconds(30);

    @RegisterExtension
    final StubPools pools = new StubPools();

    @Test
    void closesEveryIdleConnectionBeforeItReturns() {
        PoolDataSource pool = pools.create(c -> {
            c.setInitialSize(3);
            c.setMinIdle(2);
        });
        assertThat(pools.driver.openConnections()).isEqualTo(3);

        assertThat(pool.quiesce(Duration.ZERO)).isTrue();

        assertThat(pools.driver.openConnections()).isZero(); // closed on the caller's thread, not later
        assertThat(pool.stats().total()).isZero();
        assertThat(pool.state()).isEqualTo(PoolState.SUSPENDED);
        assertThat(pool.stats().evictions().values()).as("quiescing is no eviction, as closing is none").containsOnly(0L);
    }

    @Test
    void quiescedPoolOpensNothingForMinIdle() {
        PoolDataSource pool = pools.create(c -> c.setMinIdle(2));
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().idle() == 2);
        pool.quiesce(Duration.ZERO);
        int attempts = pools.driver.connectAttempts();

        pool.runHousekeeping(); // the pass that would refill min-idle, run now rather than waited for

        // a refill would start a connect on a worker within milliseconds; none may come
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> pools.driver.connectAttempts() == attempts);
        assertThat(pools.driver.openConnections()).isZero();
    }

    @Test
    void suspendedPoolOpensNothingForMinIdle() {
        PoolDataSource pool = pools.create(c -> c.setMinIdle(2));
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().idle() == 2);
        pool.suspend();
        pool.evictIdle();
        int attempts = pools.driver.connectAttempts();

        pool.runHousekeeping();

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> pools.driver.connectAttempts() == attempts);
        assertThat(pool.stats().total()).isZero();
    }

    @Test
    void waitsForBorrowedConnectionsAndClosesEachWhenReturned() throws Exception {
        PoolDataSource pool = pools.create(c -> c.setInitialSize(2));
        Connection held = pool.getConnection();
        StubConnection physical = held.unwrap(StubConnection.class);

        CompletableFuture<Boolean> quiesced = CompletableFuture.supplyAsync(() -> pool.quiesce(GENEROUS));
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.state() == PoolState.SUSPENDED && pool.stats().idle() == 0);
        assertThat(quiesced).isNotDone();
        assertThat(physical.isClosed()).isFalse();
        try (Statement statement = held.createStatement()) {
            statement.execute("select 1"); // the borrower keeps working meanwhile
        }

        held.close();

        assertThat(quiesced.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(physical.isClosed()).isTrue();
        assertThat(pools.driver.openConnections()).isZero();
        assertThat(pool.stats().total()).isZero();
    }

    @Test
    void givesUpAtItsTimeoutAndLeavesTheBorrowerItsConnection() throws Exception {
        PoolDataSource pool = pools.create(c -> c.setInitialSize(2));
        Connection held = pool.getConnection();
        StubConnection physical = held.unwrap(StubConnection.class);

        assertThat(pool.quiesce(Duration.ZERO)).isFalse();

        assertThat(pool.stats().total()).isEqualTo(1);
        assertThat(held.isClosed()).isFalse();
        assertThat(physical.isClosed()).isFalse();
        held.close(); // returned while quiesced: closed, not kept idle
        await().atMost(Duration.ofSeconds(5)).until(physical::isClosed);
        assertThat(pools.driver.openConnections()).isZero();
        assertThat(pool.stats().total()).isZero();
    }

    @Test
    void connectInFlightIsClosedWhenItLandsAndWaitersKeepWaiting() throws Exception {
        PoolDataSource pool = pools.create(c -> c.setConnectionWaitTimeout(GENEROUS));
        pools.driver.holdConnects();
        List<Boolean> served = new CopyOnWriteArrayList<>();
        Borrower waiter = Borrower.parked(pool, c -> served.add(true));
        await().atMost(Duration.ofSeconds(5)).until(() -> pools.driver.waitingConnects() == 1);

        CompletableFuture<Boolean> quiesced = CompletableFuture.supplyAsync(() -> pool.quiesce(GENEROUS));
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.state() == PoolState.SUSPENDED);
        pools.driver.releaseConnects();

        assertThat(quiesced.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pools.driver.successfulConnects()).isEqualTo(1);
        assertThat(pools.driver.openConnections()).isZero();
        assertThat(served).isEmpty();
        assertThat(pool.stats().pending()).isEqualTo(1);

        pool.resume();

        waiter.join();
        assertThat(served).containsExactly(true);
    }

    @Test
    void resumeServesWaitersAndRefillsMinIdle() throws Exception {
        PoolDataSource pool = pools.create(c -> {
            c.setInitialSize(2);
            c.setMinIdle(2);
            c.setConnectionWaitTimeout(GENEROUS);
        });
        pool.quiesce(Duration.ZERO);
        List<Boolean> served = new CopyOnWriteArrayList<>();
        Borrower waiter = Borrower.parked(pool, c -> served.add(true));

        pool.resume();

        waiter.join();
        assertThat(served).containsExactly(true);
        assertThat(pool.state()).isEqualTo(PoolState.RUNNING);
        // min-idle refilled; the waiter's connection is kept idle too, as returns are again
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().idle() >= 2);
    }

    @Test
    void closeAfterQuiesceClosesTheConnectionsStillBorrowed() throws Exception {
        PoolDataSource pool = pools.create(c -> c.setInitialSize(1));
        Connection held = pool.getConnection();
        pool.quiesce(Duration.ZERO);

        pool.close();

        assertThat(held.isClosed()).isTrue();
        assertThat(pools.driver.openConnections()).isZero();
        assertThat(pool.state()).isEqualTo(PoolState.CLOSED);
    }

    @Test
    void rejectsAMissingOrNegativeTimeout() {
        PoolDataSource pool = pools.create();
        assertThatIllegalArgumentException().isThrownBy(() -> pool.quiesce(null))
                .withMessage("Pool 'test': quiesce needs a timeout, 0 or more; got null");
        assertThatIllegalArgumentException().isThrownBy(() -> pool.quiesce(Duration.ofSeconds(-1)))
                .withMessage("Pool 'test': quiesce needs a timeout, 0 or more; got PT-1S");
        assertThat(pool.state()).isEqualTo(PoolState.RUNNING);
    }
}
