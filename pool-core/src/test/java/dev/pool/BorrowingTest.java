package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pool.test.OtherThread;
import dev.pool.test.StubConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BorrowingTest {

    @RegisterExtension
    final StubPools pools = new StubPools();

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void returnsIdleConnectionToNextBorrower() throws SQLException {
        PoolDataSource pool = pools.create();
        StubConnection first;
        try (Connection c = pool.getConnection()) {
            first = c.unwrap(StubConnection.class);
        }
        try (Connection c = pool.getConnection()) {
            assertThat(c.unwrap(StubConnection.class)).isSameAs(first);
        }
        assertThat(pools.driver.successfulConnects()).isEqualTo(1);
        assertThat(pool.stats().borrowed()).isEqualTo(2);
    }

    @Test
    void opensNewConnectionWhileBelowMaxSize() throws SQLException {
        PoolDataSource pool = pools.create(c -> c.setMaxSize(3));
        List<Connection> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(pool.getConnection());
        }
        assertThat(held.stream().map(BorrowingTest::unwrap).toList()).doesNotHaveDuplicates();
        assertThat(pool.stats()).extracting(PoolStats::active, PoolStats::idle, PoolStats::total).containsExactly(3, 0, 3);
        for (Connection c : held) {
            c.close();
        }
        assertThat(pool.stats()).extracting(PoolStats::active, PoolStats::idle, PoolStats::total).containsExactly(0, 3, 3);
    }

    @Test
    void initialSizeIsOpenedAtConstruction() {
        PoolDataSource pool = pools.create(c -> c.setInitialSize(4));
        assertThat(pool.stats().idle()).isEqualTo(4);
        assertThat(pools.driver.successfulConnects()).isEqualTo(4);
    }

    @Test
    void initialSizeAboveMaxSizeOpensMaxSize() {
        PoolDataSource pool = pools.create(c -> {
            c.setInitialSize(8);
            c.setMaxSize(3);
        });
        assertThat(pool.stats().total()).isEqualTo(3);
        assertThat(pools.driver.connectAttempts()).isEqualTo(3);
    }

    @Test
    void initialSizeFailureFailsStartUpWithTheCauseWhenFailFast() {
        pools.driver.failConnects("08001");
        assertThatThrownBy(() -> pools.create(c -> c.setInitialSize(2)))
                .isInstanceOf(PoolInitializationException.class)
                .hasMessageContaining("initial connection")
                .hasRootCauseInstanceOf(SQLException.class);
        assertThat(pools.driver.openConnections()).isZero();
    }

    @Test
    void initialSizeFailureStartsAnywayWithoutFailFastAndServesOnceTheDatabaseIsUp() throws SQLException {
        pools.driver.failConnects("08001");
        PoolDataSource pool = pools.create(c -> {
            c.setInitialSize(2);
            c.setInitializationFailFast(false);
        });
        pools.driver.clearConnectFailure();
        try (Connection c = pool.getConnection()) {
            assertThat(c.isValid(1)).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().total() == 2);
    }

    @Test
    void maxSizeZeroFailsAtOnce() {
        PoolDataSource pool = pools.create(c -> c.setMaxSize(0));
        assertThatThrownBy(pool::getConnection)
                .isInstanceOf(SQLTransientConnectionException.class)
                .hasMessageContaining("max-size 0");
        assertThat(pools.driver.connectAttempts()).isZero();
    }

    @Test
    void maxIdleZeroRetainsNothing() throws SQLException {
        PoolDataSource pool = pools.create(c -> c.setMaxIdle(0));
        Connection c = pool.getConnection();
        StubConnection physical = unwrap(c);
        c.close();
        assertThat(pool.stats().total()).isZero();
        assertThat(pool.stats().evictions()).containsEntry(EvictionReason.MAX_IDLE, 1L);
        await().atMost(Duration.ofSeconds(5)).until(physical::isClosed);
    }

    @Test
    void maxIdleIsHonouredOnReturn() throws SQLException {
        PoolDataSource pool = pools.create(c -> c.setMaxIdle(1));
        Connection a = pool.getConnection();
        Connection b = pool.getConnection();
        a.close();
        b.close();
        assertThat(pool.stats().idle()).isEqualTo(1);
        assertThat(pool.stats().total()).isEqualTo(1);
    }

    @Test
    void waitsForAReturnAndGetsIt() throws Exception {
        PoolDataSource pool = pools.create(c -> {
            c.setMaxSize(1);
            c.setInitialSize(1);
        });
        Connection held = pool.getConnection();
        StubConnection physical = unwrap(held);
        List<StubConnection> got = new CopyOnWriteArrayList<>();
        Borrower waiter = Borrower.parked(pool, c -> got.add(unwrap(c)));
        assertThat(pool.stats().pending()).isEqualTo(1);
        held.close();
        waiter.join();
        assertThat(got).containsExactly(physical);
        assertThat(pool.stats().waits()).isEqualTo(1);
        assertThat(pool.stats().pending()).isZero();
    }

    @Test
    void waitTimeoutFailsWithTransientExceptionNamingPoolTimeoutAndCounts() throws SQLException {
        PoolDataSource pool = pools.create(c -> {
            c.setMaxSize(1);
            c.setInitialSize(1);
            c.setConnectionWaitTimeout(Duration.ofMillis(100));
        });
        try (Connection held = pool.getConnection()) {
            assertThatThrownBy(() -> OtherThread.getConnection(pool))
                    .isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("Pool 'test'")
                    .hasMessageContaining("100 ms")
                    .hasMessageContaining("active 1, idle 0, pending 1 (with this caller), max-size 1");
        }
        assertThat(pool.stats().timeouts()).isEqualTo(1);
    }

    @Test
    void zeroWaitTimeoutFailsAtOnceWhenAllAreLent() throws SQLException {
        PoolDataSource pool = pools.create(c -> {
            c.setMaxSize(1);
            c.setConnectionWaitTimeout(Duration.ZERO);
        });
        try (Connection held = pool.getConnection()) { // below max-size: a new connection may still be opened
            assertThatThrownBy(pool::getConnection).isInstanceOf(SQLTransientConnectionException.class);
        }
        try (Connection again = pool.getConnection()) {
            assertThat(again.isClosed()).isFalse();
        }
    }

    @Test
    void waitTimeoutBoundsASlowPhysicalConnect() {
        pools.driver.holdConnects();
        PoolDataSource pool = pools.create(c -> c.setConnectionWaitTimeout(Duration.ofMillis(200)));

        assertThatThrownBy(pool::getConnection).isInstanceOf(SQLTransientConnectionException.class);
        assertThat(pools.driver.waitingConnects()).isEqualTo(1); // the connect is still stuck; the caller is not
        pools.driver.releaseConnects();
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().idle() == 1);
    }

    @Test
    void lastConnectFailureIsTheCauseOfTheTimeout() {
        pools.driver.failConnects("08001");
        PoolDataSource pool = pools.create(c -> c.setConnectionWaitTimeout(Duration.ofMillis(300)));

        assertThatThrownBy(pool::getConnection)
                .isInstanceOf(SQLTransientConnectionException.class)
                .cause().isInstanceOf(SQLException.class)
                .satisfies(cause -> assertThat(((SQLException) cause).getSQLState()).isEqualTo("08001"));
        assertThat((Object) pool.getLastConnectError()).isNotNull();
    }

    @Test
    void connectAttemptsBackOffWhileTheDatabaseRefuses() {
        pools.driver.failConnects("08001");
        PoolDataSource pool = pools.create(c -> c.setConnectionWaitTimeout(Duration.ofMillis(600)));
        List<Future<?>> callers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            callers.add(threads.submit(() -> assertThatThrownBy(pool::getConnection).isInstanceOf(SQLTransientConnectionException.class)));
        }
        callers.forEach(f -> {
            try {
                f.get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        // 20 callers for 0.6 s: one attempt at a time, spaced 50 ms doubling to 250 ms
        assertThat(pools.driver.connectAttempts()).isBetween(2, 8);
    }

    @Test
    void minIdleIsKeptByTheBackgroundFiller() throws SQLException {
        PoolDataSource pool = pools.create(c -> c.setMinIdle(2));
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().idle() == 2);
        Connection c = pool.getConnection();
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().idle() == 2);
        assertThat(pool.stats().total()).isEqualTo(3);
        c.close();
    }

    @Test
    void waitersAreServedInArrivalOrder() throws Exception {
        PoolDataSource pool = pools.create(c -> c.setMaxSize(1));
        Connection held = pool.getConnection();
        List<Integer> served = new CopyOnWriteArrayList<>();
        List<Borrower> waiters = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int id = i;
            waiters.add(Borrower.parked(pool, c -> served.add(id)));
        }
        assertThat(pool.stats().pending()).isEqualTo(6);
        held.close();
        for (Borrower w : waiters) {
            w.join();
        }
        assertThat(served).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void servingInOrderEndsOnceTheWaitersItBeganForAreServed() throws Exception {
        PoolDataSource pool = pools.create(c -> c.setMaxSize(1));
        Connection held = pool.getConnection();
        List<Integer> served = new CopyOnWriteArrayList<>();
        CountDownLatch firstHolds = new CountDownLatch(1);
        CountDownLatch firstMayReturn = new CountDownLatch(1);
        Borrower first = Borrower.parked(pool, c -> { // waits past the window: returns now go to the queue
            served.add(1);
            firstHolds.countDown();
            firstMayReturn.await();
        });
        Borrower second = Borrower.parked(pool, c -> served.add(2)); // queued after in-order serving began

        held.close();
        assertThat(firstHolds.await(5, TimeUnit.SECONDS)).isTrue();

        // the one waiter that starved is served: newcomers may barge again, though the second still waits
        assertThat(pool.servesInOrder()).isFalse();
        assertThat(pool.stats().pending()).isEqualTo(1);
        firstMayReturn.countDown();
        first.join();
        second.join();
        assertThat(served).containsExactly(1, 2);
    }

    @Test
    void newcomersDoNotOvertakeQueuedWaiters() throws Exception {
        PoolDataSource pool = pools.create(c -> c.setMaxSize(1));
        Connection held = pool.getConnection();
        StubConnection physical = unwrap(held);
        CountDownLatch finish = new CountDownLatch(1);
        List<StubConnection> got = new CopyOnWriteArrayList<>();
        Borrower waiter = Borrower.parked(pool, c -> {
            got.add(unwrap(c));
            finish.await();
        });

        held.close(); // hands the connection straight to the queued waiter: nothing is idle for a newcomer
        assertThat(pool.stats().idle()).isZero();

        finish.countDown();
        waiter.join();
        assertThat(got).containsExactly(physical);
    }

    private static StubConnection unwrap(Connection c) {
        try {
            return c.unwrap(StubConnection.class);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
