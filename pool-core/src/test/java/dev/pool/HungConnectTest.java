package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pool.test.StubConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connects that hang (a black-holed host, a driver with no timeout of its own: here the stub
 * driver's held connects, which wait until released). They must not hold up closes, must count as
 * failed once {@code connect-timeout} passes whatever the driver does, and must never let the pool
 * have more than {@code max-size} physical connections, open or opening.
 */
class HungConnectTest {

    @RegisterExtension
    final StubPools pools = new StubPools();

    private final List<Thread> borrowers = new ArrayList<>();

    /** Starts {@code n} threads that each borrow once (waiting as long as the pool lets them) and return at once. */
    private void borrowInBackground(PoolDataSource pool, int n) {
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                try (Connection c = pool.getConnection()) {
                    c.isValid(0);
                } catch (SQLException expected) {
                    // timed out or closed: these borrowers only make demand
                }
            }, "hung-connect-borrower-" + i);
            t.setDaemon(true);
            t.start();
            borrowers.add(t);
        }
    }

    @Test
    void closesRunWhileEveryConnectHangs() throws SQLException {
        PoolDataSource pool = pools.create(c -> {
            c.setMaxSize(10); // 8 connects at once: every connect thread hangs below
            c.setInitialSize(2);
            c.setConnectTimeout(Duration.ZERO); // the hang is unbounded: this is about closes only
        });
        Connection first = pool.getConnection();
        Connection second = pool.getConnection();
        StubConnection[] physical = {first.unwrap(StubConnection.class), second.unwrap(StubConnection.class)};
        pools.driver.holdConnects();
        borrowInBackground(pool, 8);
        await().atMost(Duration.ofSeconds(5)).until(() -> pools.driver.waitingConnects() == 8);

        pool.evictAll();
        first.close();
        second.close();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(physical)
                .as("retired connections closed while 8 connects hang").allMatch(StubConnection::isClosed));
    }

    @Test
    void closeClosesEveryOpenConnectionWhileConnectsHang() throws SQLException {
        PoolDataSource pool = pools.create(c -> {
            c.setMaxSize(10);
            c.setInitialSize(2);
            c.setConnectTimeout(Duration.ZERO);
            c.setShutdownTimeout(Duration.ofSeconds(60));
        });
        List<Connection> held = List.of(pool.getConnection(), pool.getConnection());
        pools.driver.holdConnects();
        borrowInBackground(pool, 8);
        await().atMost(Duration.ofSeconds(5)).until(() -> pools.driver.waitingConnects() == 8);
        for (Connection c : held) {
            c.close(); // handed to two of the waiting borrowers, who return them at once
        }

        Thread closer = new Thread(pool::close, "closer");
        closer.start();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(closer.isAlive()).as("close() still running: it waits for connects nobody borrowed").isFalse();
            assertThat(pools.driver.openConnections()).isZero();
        });
    }

    @Test
    void aConnectPastConnectTimeoutCountsAsFailedAndKeepsItsSlotUntilTheDriverGivesUp() throws Exception {
        PoolDataSource pool = pools.create(c -> {
            c.setMaxSize(1);
            c.setConnectTimeout(Duration.ofMillis(200));
            c.setConnectionWaitTimeout(Duration.ofSeconds(30));
        });
        AtomicInteger failures = connectFailures(pool);
        pools.driver.holdConnects();
        borrowInBackground(pool, 1);

        await().atMost(Duration.ofSeconds(5)).until(() -> failures.get() == 1);
        assertThat((Throwable) pool.getLastConnectError()).hasMessageContaining("connect-timeout");
        assertThat(pools.driver.waitingConnects()).as("the connect still hangs in the driver").isEqualTo(1);
        // its slot stays taken while the driver holds the connect: no second connect with max-size 1
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> pools.driver.connectAttempts() == 1);

        pools.driver.releaseConnects(); // the driver finally answers: too late, that connection is closed
        borrowers.get(0).join(TimeUnit.SECONDS.toMillis(10));
        assertThat(borrowers.get(0).isAlive()).isFalse();
        assertThat(pools.driver.connection(0).isClosed()).as("the connection that came after connect-timeout").isTrue();
        assertThat(pools.driver.connectAttempts()).isEqualTo(2);
        assertThat(pool.stats().total()).isEqualTo(1);
        assertThat(pools.driver.openConnections()).isEqualTo(1);
    }

    @Test
    void hungConnectsNeverTakeMoreThanMaxSizeSlots() throws Exception {
        PoolDataSource pool = pools.create(c -> {
            c.setMaxSize(3);
            c.setConnectTimeout(Duration.ofMillis(100));
            c.setConnectionWaitTimeout(Duration.ofSeconds(30));
        });
        AtomicInteger failures = connectFailures(pool);
        pools.driver.holdConnects();
        borrowInBackground(pool, 6);
        await().atMost(Duration.ofSeconds(10)).until(() -> failures.get() >= 3);
        assertThat(pools.driver.waitingConnects()).isEqualTo(3);
        assertThat(pools.driver.connectAttempts()).isEqualTo(3);

        pools.driver.releaseConnects();
        for (Thread t : borrowers) {
            t.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(t.isAlive()).isFalse();
        }
        assertThat(pool.stats().total()).isLessThanOrEqualTo(3);
        await().atMost(Duration.ofSeconds(5)).until(() -> pools.driver.openConnections() == pool.stats().total());
    }

    /** Counts the pool's failed connects, as its listeners hear of them. */
    private static AtomicInteger connectFailures(PoolDataSource pool) {
        AtomicInteger failures = new AtomicInteger();
        pool.addListener(new PoolListener() {
            @Override
            public void connectFailed(SQLException error) {
                failures.incrementAndGet();
            }
        });
        return failures;
    }
}
