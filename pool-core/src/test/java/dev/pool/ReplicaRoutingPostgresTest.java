package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pool.test.FaultProxy;
import dev.pool.test.PrimaryAndStandby;
import dev.pool.test.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ReplicaRoutingDataSource} and {@link ReplicaMonitor} on a real primary and streaming standby,
 * the standby behind a {@link FaultProxy}: reads go to the standby while it is healthy, to the primary
 * when it is gone or lags, and back when it recovers.
 */
class ReplicaRoutingPostgresTest {

    private static final Duration WAIT = PrimaryAndStandby.WAIT;
    private static final int READERS = 4;

    private static PrimaryAndStandby servers;

    private FaultProxy proxy;
    private PoolDataSource primary;
    private PoolDataSource replica;
    private ReplicaMonitor monitor;
    private ReplicaRoutingDataSource reads;

    @BeforeAll
    static void startServers() {
        servers = PrimaryAndStandby.start();
        PrimaryAndStandby.execute(servers.primary(), "create table if not exists routed (id int)");
        servers.awaitReplayed();
    }

    @AfterAll
    static void stopServers() {
        servers.close();
    }

    @BeforeEach
    void startPools() {
        proxy = FaultProxy.inFrontOf(servers.standby());
        primary = new PoolDataSource(config("primary", servers.primary().jdbcUrl(), servers.primary()));
        replica = new PoolDataSource(config("primary-replica-0", proxy.jdbcUrl(servers.standby(), "replica-test"),
                servers.standby()));
    }

    /** Starts checking the replica and routing reads. */
    private void route() {
        monitor = new ReplicaMonitor(List.of(replica), Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(5));
        reads = new ReplicaRoutingDataSource(primary, monitor);
    }

    private static PoolConfig config(String name, String url, TestDatabase server) {
        PoolConfig config = new PoolConfig();
        config.setName(name);
        config.setUrl(url);
        config.setUsername(server.username());
        config.setPassword(server.password());
        config.setMaxSize(READERS + 2);
        return config;
    }

    @AfterEach
    void stopPools() {
        servers.resumeReplay();
        if (monitor != null) {
            monitor.close();
        }
        replica.close();
        primary.close();
        proxy.close();
    }

    @Test
    void readsLandOnTheReplicaOnceItIsChecked() throws SQLException {
        route();
        await().atMost(WAIT).until(() -> monitor.isUsable(replica));

        for (int i = 0; i < 20; i++) {
            assertThat(readOnStandby()).as("read %d", i).isTrue();
        }
        assertThat(replica.stats().borrowed()).isGreaterThanOrEqualTo(20);
    }

    @Test
    void readsGoToThePrimaryWhileNoReplicaWasChecked() throws SQLException {
        proxy.refuseNewConnections(); // the first check cannot connect
        route();

        assertThat(readOnStandby()).isFalse();
        assertThat(monitor.isUsable(replica)).isFalse();
    }

    /**
     * Readers run without pause; the replica is cut off (open connections reset, new ones refused).
     * Each reader may lose the read it has in flight, no more: the first failure takes the replica out
     * of use and closes its idle connections, dead too, so later reads go to the primary.
     */
    @Test
    void readsFallBackToThePrimaryWhenTheReplicaIsCutOffAndReturnAfter() throws Exception {
        route();
        await().atMost(WAIT).until(() -> monitor.isUsable(replica));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger onStandby = new AtomicInteger();
        AtomicInteger onPrimary = new AtomicInteger();
        List<AtomicInteger> failures = new ArrayList<>();
        CountDownLatch allReadOnStandby = new CountDownLatch(READERS);
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            AtomicInteger failed = new AtomicInteger();
            failures.add(failed);
            Thread reader = new Thread(() -> {
                boolean counted = false;
                while (!stop.get()) {
                    try {
                        if (readOnStandby()) {
                            onStandby.incrementAndGet();
                            if (!counted) {
                                counted = true;
                                allReadOnStandby.countDown();
                            }
                        } else {
                            onPrimary.incrementAndGet();
                        }
                    } catch (SQLException e) {
                        failed.incrementAndGet();
                    }
                }
            }, "reader-" + r);
            readers.add(reader);
            reader.start();
        }
        try {
            assertThat(allReadOnStandby.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

            proxy.refuseNewConnections();
            proxy.cutAll();
            int primaryBefore = onPrimary.get();
            await().atMost(WAIT).until(() -> onPrimary.get() >= primaryBefore + 200);
            assertThat(monitor.isUsable(replica)).isFalse();
            for (AtomicInteger failed : failures) {
                assertThat(failed.get()).as("failed reads of one reader: at most the one in flight").isLessThanOrEqualTo(1);
            }

            proxy.acceptNewConnections();
            int standbyBefore = onStandby.get();
            await().atMost(WAIT).until(() -> onStandby.get() >= standbyBefore + 200);
        } finally {
            stop.set(true);
            for (Thread reader : readers) {
                reader.join();
            }
        }
        for (AtomicInteger failed : failures) {
            assertThat(failed.get()).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void aLaggingReplicaIsSkippedUntilItCatchesUp() throws SQLException {
        route();
        await().atMost(WAIT).until(() -> monitor.isUsable(replica));
        assertThat(readOnStandby()).isTrue();

        servers.pauseReplay();
        PrimaryAndStandby.execute(servers.primary(), "insert into routed values (1)");
        await().atMost(WAIT).until(() -> !monitor.isUsable(replica));
        assertThat(readOnStandby()).as("the lagging replica is skipped").isFalse();
        // while paused, write on: the lag keeps growing, the replica stays skipped
        PrimaryAndStandby.execute(servers.primary(), "insert into routed values (2)");
        assertThat(readOnStandby()).isFalse();

        servers.resumeReplay();
        route();
        await().atMost(WAIT).until(() -> monitor.isUsable(replica));
        assertThat(readOnStandby()).isTrue();
    }

    @Test
    void closedMonitorSendsEveryReadToThePrimary() throws SQLException {
        route();
        await().atMost(WAIT).until(() -> monitor.isUsable(replica));

        monitor.close();

        assertThat(monitor.usableReplicas()).isEmpty();
        assertThat(readOnStandby()).isFalse();
    }

    /** One read through the router: true if it ran on the standby. */
    private boolean readOnStandby() throws SQLException {
        try (Connection connection = reads.getConnection(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("select pg_is_in_recovery(), count(*) from routed")) {
            result.next();
            return result.getBoolean(1);
        }
    }
}
