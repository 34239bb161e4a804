package dev.pool.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pool.PoolConfig;
import dev.pool.test.StubDriver;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ConnectionSupply} on its own, over the stub driver: how it works out demand (waiters,
 * min-idle, warm-up, less what is idle, being validated or being opened), how it keeps within
 * {@code max-size}, and how it backs off while connects fail. Slots are reserved on the calling
 * thread, so {@link ConnectionSupply#allocated()} right after {@code replenish()} returns says
 * exactly how many connects it decided on.
 */
class ConnectionSupplyTest {

    private final StubDriver driver = new StubDriver();
    private final ConnectionBag bag = new ConnectionBag();
    private final Lifecycle lifecycle = new Lifecycle();
    private final List<Connection> admitted = new CopyOnWriteArrayList<>();
    private final List<Thread> waiters = new ArrayList<>();
    /** Set: the pool refuses every new connection, as the primary-role guard refuses one that reached a standby. */
    private volatile boolean refuseAdmission;
    private PoolSizes sizes;
    private Workers workers;
    private Scheduler scheduler;
    private ConnectionSupply supply;

    private ConnectionSupply supply(Consumer<PoolConfig> settings) {
        PoolConfig config = new PoolConfig();
        config.setName("supply-test");
        config.setDataSource(driver.dataSource());
        settings.accept(config);
        config.validate();
        sizes = new PoolSizes(config);
        workers = new Workers(config.getName(), sizes.maxSize());
        scheduler = new Scheduler(config.getName());
        supply = new ConnectionSupply(config.getName(), config.getConnectTimeout().toNanos(), new Connector(config), sizes, lifecycle,
                bag, new Events(config.getName()), workers, scheduler, this::admit);
        return supply;
    }

    /** What the pool does with a new connection, minus the session handling: an idle entry. */
    private void admit(Connection raw, long tookNanos) throws SQLException {
        if (refuseAdmission) {
            raw.close();
            throw new SQLException("a new connection reached a standby", "25006");
        }
        PooledConnection entry = new PooledConnection(null, raw, null, 0, Long.MAX_VALUE, 0);
        bag.add(entry);
        bag.offer(entry);
        admitted.add(raw);
    }

    /** A thread that waits in the bag as a borrower does, asking the supply for a connection. */
    private void waiter() {
        Thread t = new Thread(() -> {
            try {
                bag.await(TimeUnit.SECONDS.toNanos(30), ConnectionBag.Gate.OPEN, supply::replenish);
            } catch (SQLException closed) {
                // the bag closed at the end of the test
            }
        }, "supply-test-waiter");
        t.setDaemon(true);
        t.start();
        waiters.add(t);
    }

    @AfterEach
    void stop() {
        lifecycle.close();
        bag.close(new SQLException("test over", "08003"), entry -> { });
        driver.releaseConnects();
        if (scheduler != null) {
            scheduler.stop();
            workers.shutdown();
        }
        waiters.forEach(Thread::interrupt);
    }

    // ---- demand ----------------------------------------------------------------------------------

    @Test
    void opensWhatMinIdleAsksForAndNoMore() {
        supply(c -> c.setMinIdle(3));
        supply.replenish();
        assertThat(supply.allocated()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(5)).until(() -> admitted.size() == 3);
        for (int i = 0; i < 5; i++) {
            supply.replenish();
        }
        assertThat(supply.allocated()).isEqualTo(3);
        assertThat(bag.idleCount()).isEqualTo(3);
    }

    @Test
    void connectsInFlightCountAgainstDemand() {
        driver.holdConnects();
        supply(c -> c.setMinIdle(3));
        for (int i = 0; i < 10; i++) {
            supply.replenish();
        }
        assertThat(supply.allocated()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(5)).until(() -> driver.waitingConnects() == 3);
        driver.releaseConnects();
        await().atMost(Duration.ofSeconds(5)).until(() -> admitted.size() == 3);
        supply.replenish();
        assertThat(supply.allocated()).isEqualTo(3);
        assertThat(driver.connectAttempts()).isEqualTo(3);
    }

    @Test
    void idleConnectionsCountAgainstDemand() {
        supply(c -> c.setMinIdle(2));
        supply.replenish();
        await().atMost(Duration.ofSeconds(5)).until(() -> admitted.size() == 2);
        sizes.resize(3, 10);
        supply.replenish();
        assertThat(supply.allocated()).as("one more for min-idle 3, the two idle ones count").isEqualTo(3);
    }

    @Test
    void connectionsOutForValidationCountAsSupply() {
        supply(c -> c.setMinIdle(2));
        supply.replenish();
        await().atMost(Duration.ofSeconds(5)).until(() -> admitted.size() == 2);
        PooledConnection out = bag.entries()[0];
        assertThat(out.tryReserve()).isTrue(); // as the validator takes it
        supply.validationStarted();
        supply.replenish();
        assertThat(supply.allocated()).as("the one being validated will come back").isEqualTo(2);

        supply.validationEnded(); // ...and it did not: retired as broken
        bag.remove(out);
        supply.released();
        supply.replenish();
        assertThat(supply.allocated()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> admitted.size() == 3);
    }

    @Test
    void opensOneConnectionPerWaiterWithinMaxSize() {
        driver.holdConnects();
        supply(c -> c.setMaxSize(2));
        for (int i = 0; i < 5; i++) {
            waiter();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> bag.waiting() == 5 && driver.waitingConnects() == 2);
        supply.replenish();
        assertThat(supply.allocated()).isEqualTo(2);
        driver.releaseConnects();
        await().atMost(Duration.ofSeconds(5)).until(() -> bag.waiting() == 3);
        supply.replenish();
        assertThat(supply.allocated()).as("never above max-size").isEqualTo(2);
        assertThat(driver.connectAttempts()).isEqualTo(2);
    }

    @Test
    void aSuspendedPoolOpensNothingForItsWaiters() {
        supply(c -> { });
        lifecycle.suspend();
        bag.setLending(false);
        waiter();
        await().atMost(Duration.ofSeconds(5)).until(() -> bag.waiting() == 1);
        supply.replenish();
        assertThat(supply.allocated()).isZero();
    }

    @Test
    void aSuspendedPoolOpensNothingForMinIdleOrMinSize() {
        supply(c -> {
            c.setMinIdle(2);
            c.setMinSize(2);
        });
        lifecycle.suspend();
        supply.replenish();
        assertThat(supply.allocated()).isZero();
        assertThat(supply.connectionsNeeded()).isZero();

        lifecycle.resume();
        supply.replenish();
        assertThat(supply.allocated()).isEqualTo(2);
    }

    @Test
    void allReleasedWaitsForAConnectInFlightWhichCloseDoesNot() {
        supply(c -> c.setMinIdle(1));
        driver.holdConnects();
        supply.replenish();
        await().atMost(Duration.ofSeconds(5)).until(() -> driver.waitingConnects() == 1);
        lifecycle.suspend();
        lifecycle.quiesce();

        assertThat(supply.awaitConnectionsReleased(System.nanoTime())).as("close does not wait for connects").isTrue();
        assertThat(supply.awaitAllReleased(System.nanoTime())).as("quiesce does").isFalse();
        driver.releaseConnects();
        await().atMost(Duration.ofSeconds(5)).until(() -> admitted.size() == 1);
    }

    @Test
    void warmUpWaitsForEveryInitialConnection() throws InterruptedException {
        supply(c -> c.setMaxSize(12));
        assertThat((Throwable) supply.warmUp(12)).isNull();
        assertThat(bag.idleCount()).isEqualTo(12);
    }

    @Test
    void warmUpReturnsTheFirstFailureAndKeepsOpeningInTheBackground() throws InterruptedException {
        driver.failNextConnects(1, "08001");
        supply(c -> c.setMaxSize(1));
        SQLException failure = supply.warmUp(1);
        assertThat((Throwable) failure).isNotNull();
        assertThat(failure.getSQLState()).isEqualTo("08001");
        await().atMost(Duration.ofSeconds(5)).until(() -> admitted.size() == 1);
    }

    // ---- backoff -----------------------------------------------------------------------------------

    @Test
    void failedConnectsAreRetriedOneAtATimeWithGrowingGaps() {
        driver.failConnects("08001");
        supply(c -> c.setMinIdle(1));
        supply.replenish();
        assertSixAttemptsWithGrowingGaps();
        assertThat((Throwable) supply.lastError()).isNotNull();
    }

    /** Waits for six connect attempts; each gap is at least the backoff: 50 ms doubling up to the cap. */
    private void assertSixAttemptsWithGrowingGaps() {
        await().atMost(Duration.ofSeconds(10)).until(() -> driver.connectAttempts() >= 6);
        List<StubDriver.ConnectAttempt> attempts = driver.attempts();
        for (int k = 1; k < 6; k++) {
            long backoff = Math.min(ConnectionSupply.MAX_RETRY_NANOS, ConnectionSupply.FIRST_RETRY_NANOS << (k - 1));
            long gap = attempts.get(k).nanoTime() - attempts.get(k - 1).nanoTime();
            assertThat(gap).as("gap before attempt %d, at least %d ms", k + 1, TimeUnit.NANOSECONDS.toMillis(backoff))
                    .isGreaterThanOrEqualTo(backoff);
        }
    }

    /** The driver connects, the pool refuses the connection: still failing, so the gaps keep growing. */
    @Test
    void connectionsThePoolRefusesAreRetriedAsFailedConnectsWithGrowingGaps() {
        refuseAdmission = true;
        supply(c -> c.setMinIdle(1));
        supply.replenish();
        assertSixAttemptsWithGrowingGaps();
        assertThat(supply.lastError().getSQLState()).isEqualTo("25006");

        refuseAdmission = false;
        await().atMost(Duration.ofSeconds(10)).until(() -> admitted.size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> supply.lastError() == null);
    }

    @Test
    void whileConnectsFailOnlyOneIsInFlightHoweverMuchIsNeeded() {
        driver.failConnects("08001");
        supply(c -> c.setMinIdle(1));
        supply.replenish();
        await().atMost(Duration.ofSeconds(5)).until(() -> driver.connectAttempts() >= 2);
        driver.holdConnects();
        sizes.resize(6, 10);
        await().atMost(Duration.ofSeconds(5)).until(() -> driver.waitingConnects() == 1); // the next probe
        for (int i = 0; i < 10; i++) {
            supply.replenish();
        }
        assertThat(supply.allocated()).as("one probe at a time").isEqualTo(1);

        driver.clearConnectFailure();
        driver.releaseConnects(); // the probe succeeds: the backoff ends and the rest open in parallel
        await().atMost(Duration.ofSeconds(5)).until(() -> admitted.size() == 6);
        assertThat((Throwable) supply.lastError()).isNull();
    }

    @Test
    void aConnectPastConnectTimeoutCountsAsFailedButKeepsItsSlot() {
        driver.holdConnects();
        supply(c -> {
            c.setMaxSize(1);
            c.setMinIdle(1);
            c.setConnectTimeout(Duration.ofMillis(100));
        });
        supply.replenish();
        await().atMost(Duration.ofSeconds(5)).until(() -> supply.lastError() != null);
        assertThat((Throwable) supply.lastError()).hasMessageContaining("connect-timeout");
        supply.replenish();
        assertThat(supply.allocated()).as("the overdue connect keeps its slot").isEqualTo(1);
        assertThat(driver.waitingConnects()).isEqualTo(1);

        driver.releaseConnects();
        await().atMost(Duration.ofSeconds(5)).until(() -> admitted.size() == 1);
        assertThat(driver.connection(0).isClosed()).as("the connection that came too late").isTrue();
        assertThat(admitted.get(0)).isSameAs(driver.connection(1));
    }

    @Test
    void stopConnectingCancelsQueuedConnectsAndFreesTheirSlots() {
        driver.holdConnects();
        supply(c -> {
            c.setMaxSize(10); // 8 connect threads: 2 connects stay queued
            c.setMinIdle(10);
        });
        supply.replenish();
        assertThat(supply.allocated()).isEqualTo(10);
        await().atMost(Duration.ofSeconds(5)).until(() -> driver.waitingConnects() == 8);
        lifecycle.close();
        supply.stopConnecting();
        assertThat(supply.allocated()).isEqualTo(8);
        driver.releaseConnects();
        await().atMost(Duration.ofSeconds(5)).until(() -> admitted.size() == 8);
        assertThat(driver.connectAttempts()).isEqualTo(8);
    }
}
