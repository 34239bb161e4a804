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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A listener that throws (a metrics binder with a bug, a test hook) changes nothing the pool does:
 * every callback throws here, a {@link RuntimeException} or an {@link Error}, and each path must
 * lend, take back, retire, open and fail exactly as without the listener, losing no connection and
 * no slot.
 */
class ListenerIsolationTest {

    @RegisterExtension
    final StubPools pools = new StubPools();

    /** Throws from every callback; counts the calls so the test knows each path reached it. */
    static final class ThrowingListener implements PoolListener {

        final AtomicInteger calls = new AtomicInteger();
        private final boolean error;

        ThrowingListener(boolean error) {
            this.error = error;
        }

        private void fail(String what) {
            calls.incrementAndGet();
            if (error) {
                throw new AssertionError("listener error in " + what);
            }
            throw new IllegalStateException("listener bug in " + what);
        }

        @Override
        public void connectionCreated(long nanos) {
            fail("connectionCreated");
        }

        @Override
        public void connectFailed(SQLException e) {
            fail("connectFailed");
        }

        @Override
        public void connectionAcquired(long nanos, boolean waited) {
            fail("connectionAcquired");
        }

        @Override
        public void acquireTimedOut(long nanos) {
            fail("acquireTimedOut");
        }

        /** Follows each wait with a {@link Wait} that throws when told how it ended. */
        @Override
        public Wait waitStarted() {
            calls.incrementAndGet();
            return (outcome, error) -> fail("Wait.ended");
        }

        @Override
        public void connectionReturned(long nanos) {
            fail("connectionReturned");
        }

        @Override
        public void leakSuspected(String threadName, long heldNanos, Throwable borrowSite) {
            fail("leakSuspected");
        }

        @Override
        public void connectionEvicted(EvictionReason reason) {
            fail("connectionEvicted");
        }
    }

    @Test
    void borrowingAndReturningWork() throws SQLException {
        for (boolean error : new boolean[] {false, true}) {
            PoolDataSource pool = pools.create(c -> c.setMaxSize(2));
            ThrowingListener listener = new ThrowingListener(error);
            pool.addListener(listener);
            List<Connection> held = new ArrayList<>();
            held.add(pool.getConnection());
            held.add(pool.getConnection());
            assertThat(pool.stats().active()).isEqualTo(2);
            for (Connection c : held) {
                c.close();
            }
            try (Connection c = pool.getConnection()) {
                assertThat(c.isValid(0)).isTrue();
            }
            assertThat(pool.stats()).extracting(PoolStats::active, PoolStats::idle, PoolStats::total, PoolStats::borrowed)
                    .containsExactly(0, 2, 2, 3L);
            assertThat(listener.calls.get()).isGreaterThanOrEqualTo(8);
        }
    }

    @Test
    void newConnectionsAreLent() throws SQLException {
        PoolDataSource pool = pools.create(c -> c.setMaxSize(3));
        pool.addListener(new ThrowingListener(true));
        List<Connection> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(pool.getConnection());
        }
        assertThat(held.stream().map(ListenerIsolationTest::physical).distinct()).hasSize(3);
        for (Connection c : held) {
            c.close();
        }
        assertThat(pool.stats().idle()).isEqualTo(3);
        assertThat(pool.stats().created()).isEqualTo(3);
    }

    @Test
    void minIdleIsKeptUp() {
        PoolDataSource pool = pools.create(c -> c.setInitialSize(2));
        pool.addListener(new ThrowingListener(false));
        pool.resize(3, 10);
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().idle() == 3);
        pool.evictIdle();
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().idle() == 3 && pools.driver.openConnections() == 3);
        assertThat(pool.stats().created()).isEqualTo(6);
    }

    @Test
    void retiredConnectionsAreClosedAndTheirSlotsFreed() throws SQLException {
        PoolDataSource pool = pools.create(c -> {
            c.setMaxSize(1);
            c.setMaxReuseCount(1);
            c.setConnectionWaitTimeout(Duration.ofSeconds(5));
        });
        pool.addListener(new ThrowingListener(false));
        for (int i = 0; i < 4; i++) {
            try (Connection c = pool.getConnection()) {
                c.isValid(0);
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> pools.driver.openConnections() <= 1);
        assertThat(pools.driver.successfulConnects()).isEqualTo(4);
        assertThat(pool.stats().evictions()).containsEntry(EvictionReason.REUSE_COUNT, 4L);
        pool.evictIdle();
        await().atMost(Duration.ofSeconds(5)).until(() -> pools.driver.openConnections() == 0);
    }

    @Test
    void failedConnectsFreeTheirSlots() throws SQLException {
        PoolDataSource pool = pools.create(c -> {
            c.setMaxSize(1);
            c.setConnectionWaitTimeout(Duration.ofSeconds(5));
        });
        pool.addListener(new ThrowingListener(false));
        pools.driver.failNextConnects(3, "08001");
        try (Connection c = pool.getConnection()) {
            assertThat(c.isValid(0)).isTrue();
        }
        assertThat(pools.driver.connectAttempts()).isEqualTo(4);
    }

    @Test
    void timeoutsThrowThePoolsException() throws SQLException {
        PoolDataSource pool = pools.create(c -> {
            c.setMaxSize(1);
            c.setConnectionWaitTimeout(Duration.ofMillis(50));
        });
        try (Connection held = pool.getConnection()) {
            pool.addListener(new ThrowingListener(false));
            assertThatThrownBy(() -> OtherThread.getConnection(pool)).isInstanceOf(SQLTransientConnectionException.class);
        }
        assertThat(pool.stats().timeouts()).isEqualTo(1);
        try (Connection c = pool.getConnection()) {
            assertThat(c.isValid(0)).isTrue();
        }
    }

    @Test
    void leakDetectionKeepsWatching() throws SQLException {
        PoolDataSource pool = pools.create(c -> {
            c.setLeakDetectionThreshold(Duration.ofSeconds(10));
            c.setAbandonedConnectionTimeout(Duration.ofMinutes(1));
        });
        pool.addListener(new ThrowingListener(true));
        Connection leaked = pool.getConnection();
        pool.runHousekeeping();
        pools.clock.advance(Duration.ofSeconds(20));
        pool.runHousekeeping(); // reports the leak: the listener throws
        pools.clock.advance(Duration.ofMinutes(2));
        pool.runHousekeeping(); // still watching: reclaims it
        assertThat(leaked.isClosed()).isTrue();
        assertThat(pool.stats().evictions()).containsEntry(EvictionReason.ABANDONED, 1L);
        await().atMost(Duration.ofSeconds(5)).until(() -> pools.driver.openConnections() == 0);
    }

    private static StubConnection physical(Connection c) {
        try {
            return c.unwrap(StubConnection.class);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
