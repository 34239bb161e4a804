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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PoolOperationsTest {

    @RegisterExtension
    final StubPools pools = new StubPools();

    @Test
    void closeFailsWaitersClosesEverythingAndIsIdempotent() throws Exception {
        PoolDataSource pool = pools.create(c -> c.setMaxSize(1));
        Connection held = pool.getConnection();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Borrower waiter = Borrower.parked(pool, c -> { });

        pool.close();
        pool.close();

        assertThatThrownBy(waiter::join).hasCauseInstanceOf(SQLException.class).hasMessageContaining("closed");
        assertThat(pool.state()).isEqualTo(PoolState.CLOSED);
        assertThat(held.isClosed()).isTrue(); // shutdown-timeout 0: borrowed ones are closed at once
        assertThat(pools.driver.openConnections()).isZero();
        assertThatThrownBy(pool::getConnection).isInstanceOf(SQLException.class).hasMessageContaining("closed");
        assertThat(failures).isEmpty();
    }

    @Test
    void closeWaitsForBorrowedConnectionsWithinShutdownTimeout() throws Exception {
        PoolDataSource pool = pools.create(c -> c.setShutdownTimeout(Duration.ofSeconds(10)));
        Connection held = pool.getConnection();
        StubConnection physical = held.unwrap(StubConnection.class);
        Thread closer = new Thread(pool::close);
        closer.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.state() == PoolState.CLOSED);
        assertThat(physical.isClosed()).isFalse();
        held.close();
        closer.join(10_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(physical.isClosed()).isTrue();
    }

    @Test
    void closeLeavesNoPoolThreadBehind() throws SQLException {
        PoolDataSource pool = pools.create(c -> {
            c.setName("threads-check");
            c.setMinIdle(2);
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().idle() == 2);
        try (Connection c = pool.getConnection()) {
            assertThat(c.isClosed()).isFalse();
        }
        pool.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("threads-check-")));
    }

    @Test
    void suspendedPoolMakesBorrowersWaitAndResumeServesThem() throws Exception {
        PoolDataSource pool = pools.create(c -> c.setInitialSize(1));
        pool.suspend();
        assertThat(pool.state()).isEqualTo(PoolState.SUSPENDED);
        List<Boolean> served = new CopyOnWriteArrayList<>();
        Borrower waiter = Borrower.parked(pool, c -> served.add(true));
        assertThat(served).isEmpty();
        pool.resume();
        waiter.join();
        assertThat(served).containsExactly(true);
        assertThat(pool.state()).isEqualTo(PoolState.RUNNING);
    }

    @Test
    void suspendedPoolTimesOutBorrowersWithinTheirWait() {
        PoolDataSource pool = pools.create(c -> {
            c.setInitialSize(1);
            c.setConnectionWaitTimeout(Duration.ofMillis(100));
        });
        pool.suspend();
        assertThatThrownBy(pool::getConnection).isInstanceOf(SQLTransientConnectionException.class);
    }

    @Test
    void suspendedPoolOpensNoConnectionsForItsWaiters() {
        PoolDataSource pool = pools.create(c -> c.setConnectionWaitTimeout(Duration.ofMillis(200)));
        pool.suspend();
        assertThatThrownBy(pool::getConnection).isInstanceOf(SQLTransientConnectionException.class);
        assertThat(pools.driver.connectAttempts()).isZero();
    }

    @Test
    void evictIdleClosesIdleConnectionsNow() {
        PoolDataSource pool = pools.create(c -> c.setInitialSize(3));
        pool.evictIdle();
        assertThat(pool.stats().total()).isZero();
        assertThat(pool.stats().evictions()).containsEntry(EvictionReason.MANUAL, 3L);
    }

    @Test
    void evictAllClosesBorrowedConnectionsWhenReturned() throws SQLException {
        PoolDataSource pool = pools.create(c -> c.setInitialSize(2));
        Connection held = pool.getConnection();
        StubConnection physical = held.unwrap(StubConnection.class);
        pool.evictAll();
        assertThat(pool.stats().total()).isEqualTo(1);
        assertThat(physical.isClosed()).isFalse();
        held.close();
        assertThat(pool.stats().total()).isZero();
        assertThat(pool.stats().evictions()).containsEntry(EvictionReason.MANUAL, 2L);
    }

    @Test
    void resizeShrinksAsConnectionsComeBackAndGrowsForMinIdle() throws SQLException {
        PoolDataSource pool = pools.create(c -> c.setMaxSize(4));
        List<Connection> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(pool.getConnection());
        }
        pool.resize(0, 2);
        for (Connection c : held) {
            c.close();
        }
        assertThat(pool.stats().total()).isEqualTo(2);
        assertThat(pool.stats().maxSize()).isEqualTo(2);

        pool.resize(3, 5);
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().idle() == 3);
        assertThatThrownBy(() -> pool.resize(6, 5)).isInstanceOf(PoolConfigException.class).hasMessageContaining("pool.min-idle");
        assertThatThrownBy(() -> pool.resize(0, -1)).isInstanceOf(PoolConfigException.class).hasMessageContaining("pool.max-size");
    }

    @Test
    void idleConnectionsPastMaxIdleTimeAreClosedButNotBelowMinIdle() throws SQLException {
        PoolDataSource pool = pools.create(c -> {
            c.setInitialSize(4);
            c.setMinIdle(1);
            c.setMaxIdleTime(Duration.ofMinutes(10));
        });
        pools.clock.advance(Duration.ofMinutes(9));
        pool.runHousekeeping();
        assertThat(pool.stats().total()).isEqualTo(4);

        pools.clock.advance(Duration.ofMinutes(2));
        pool.runHousekeeping();
        assertThat(pool.stats().total()).isEqualTo(1);
        assertThat(pool.stats().evictions()).containsEntry(EvictionReason.IDLE_TIME, 3L);
    }

    @Test
    void connectionsPastMaxReuseTimeAreRetiredWhenIdleOrReturnedButNotWhileBorrowed() throws SQLException {
        PoolDataSource pool = pools.create(c -> {
            c.setInitialSize(2);
            c.setMaxReuseTime(Duration.ofMinutes(30));
            c.setMaxIdleTime(Duration.ZERO);
        });
        Connection held = pool.getConnection();
        pools.clock.advance(Duration.ofMinutes(31));
        pool.runHousekeeping();
        assertThat(pool.stats().total()).isEqualTo(1); // the idle one went; the borrowed one stays
        assertThat(held.isClosed()).isFalse();
        held.close();
        assertThat(pool.stats().total()).isZero();
        assertThat(pool.stats().evictions()).containsEntry(EvictionReason.REUSE_TIME, 2L);
    }

    @Test
    void connectionBorrowedMaxReuseCountTimesIsClosedOnReturn() throws SQLException {
        PoolDataSource pool = pools.create(c -> c.setMaxReuseCount(3));
        for (int i = 0; i < 3; i++) {
            try (Connection c = pool.getConnection()) {
                assertThat(c.unwrap(StubConnection.class)).isSameAs(pools.driver.connection(0));
            }
        }
        try (Connection c = pool.getConnection()) {
            assertThat(c.unwrap(StubConnection.class)).isSameAs(pools.driver.connection(1));
        }
        assertThat(pool.stats().evictions()).containsEntry(EvictionReason.REUSE_COUNT, 1L);
    }

    @Test
    void connectionIdleLongerThanValidationIntervalIsValidatedBeforeItIsLent() throws SQLException {
        PoolDataSource pool = pools.create(c -> c.setInitialSize(1));
        StubConnection first = pools.driver.connection(0);
        try (Connection c = pool.getConnection()) {
            assertThat(c.unwrap(StubConnection.class)).isSameAs(first);
        }
        assertThat(first.validationCount()).isZero();

        pools.clock.advance(Duration.ofSeconds(2));
        pool.runHousekeeping();
        first.setValid(false);
        try (Connection c = pool.getConnection()) {
            assertThat(c.unwrap(StubConnection.class)).isNotSameAs(first);
        }
        assertThat(first.validationCount()).isEqualTo(1);
        assertThat(pool.stats().evictions()).containsEntry(EvictionReason.BROKEN, 1L);
    }

    @Test
    void connectionsDescribeEveryOpenConnection() throws SQLException {
        PoolDataSource pool = pools.create(c -> {
            c.setInitialSize(2);
            c.setLeakDetectionThreshold(Duration.ofMinutes(5));
        });
        try (Connection held = pool.getConnection()) {
            pools.clock.advance(Duration.ofSeconds(3));
            List<ConnectionInfo> infos = pool.connections();
            assertThat(infos).hasSize(2);
            assertThat(infos).filteredOn(i -> i.state().equals("idle")).singleElement()
                    .satisfies(i -> assertThat(i.heldMs()).isNull());
            assertThat(infos).filteredOn(i -> i.state().equals("active")).singleElement().satisfies(i -> {
                assertThat(i.ageMs()).isEqualTo(3000);
                assertThat(i.heldMs()).isEqualTo(3000);
                assertThat(i.borrowCount()).isEqualTo(1);
                assertThat(i.thread()).isEqualTo(Thread.currentThread().getName());
                assertThat(i.stack()).contains("connectionsDescribeEveryOpenConnection");
            });
        }
    }

    @Test
    void mxBeanIsRegisteredWhileThePoolIsOpen() throws Exception {
        PoolDataSource pool = pools.create(c -> {
            c.setName("jmx-check");
            c.setInitialSize(1);
            c.setRegisterMbeans(true);
        });
        var server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        var name = new javax.management.ObjectName("dev.pool:type=Pool,name=jmx-check");
        assertThat(server.getAttribute(name, "Idle")).isEqualTo(1);
        assertThat(server.getAttribute(name, "State")).isEqualTo("RUNNING");
        server.invoke(name, "evictIdle", new Object[0], new String[0]);
        assertThat(pool.stats().total()).isZero();
        pool.close();
        assertThat(server.isRegistered(name)).isFalse();
    }

    @Test
    void statsCountBorrowsCreatesWaitsAndTimeouts() throws SQLException {
        PoolDataSource pool = pools.create(c -> {
            c.setInitialSize(1);
            c.setMaxSize(1);
            c.setConnectionWaitTimeout(Duration.ofMillis(50));
        });
        try (Connection c = pool.getConnection()) {
            assertThatThrownBy(() -> OtherThread.getConnection(pool)).isInstanceOf(SQLTransientConnectionException.class);
        }
        try (Connection c = pool.getConnection()) {
            assertThat(c.isClosed()).isFalse();
        }
        PoolStats s = pool.stats();
        assertThat(s.borrowed()).isEqualTo(2);
        assertThat(s.created()).isEqualTo(1);
        assertThat(s.waits()).isEqualTo(1);
        assertThat(s.timeouts()).isEqualTo(1);
        assertThat(s.maxSize()).isEqualTo(1);
        assertThat(s.evictions()).containsOnlyKeys(EvictionReason.values());
    }
}
