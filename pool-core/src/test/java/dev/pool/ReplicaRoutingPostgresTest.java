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
import java.util.concurrent.ConcurrentLinkedQueue;
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
        PoolConfig replicaConfig = config("primary-replica-0", proxy.jdbcUrl(servers.standby(), "replica-test"),
                servers.standby());
        replicaConfig.setPrimaryRoleGuard(false); // a replica is a standby by design
        replica = new PoolDataSource(replicaConfig);
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
        if (!servers.standby().isRunning()) {
            servers.standby().start();
            servers.awaitStreaming();
        }
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
        try (Readers readers = new Readers()) {
            readers.awaitEachReadOnStandby();

            proxy.refuseNewConnections();
            proxy.cutAll();
            readers.awaitReadsOnPrimary(200);
            assertThat(monitor.isUsable(replica)).isFalse();
            readers.assertAtMostOneFailedReadEach();

            proxy.acceptNewConnections();
            readers.awaitReadsOnStandby(200);
        }
    }

    /**
     * The standby server itself stops (a fast shutdown: its sessions are terminated, new connections
     * refused) while readers run: each reader loses at most the read it has in flight, then reads go to
     * the primary; once the standby is started again they return to it. Prints how long after the stop
     * began the first read ran on the primary, and after the start the first on the standby again.
     */
    @Test
    void readsFallBackToThePrimaryWhenTheReplicaStopsAndReturnAfterItStarts() throws Exception {
        route();
        await().atMost(WAIT).until(() -> monitor.isUsable(replica));
        try (Readers readers = new Readers()) {
            readers.awaitEachReadOnStandby();

            long stopping = System.nanoTime();
            servers.standby().stop();
            long stopped = System.nanoTime();
            readers.awaitReadsOnPrimary(200);
            assertThat(monitor.isUsable(replica)).isFalse();
            readers.assertAtMostOneFailedReadEach();

            long starting = System.nanoTime();
            servers.standby().start();
            long started = System.nanoTime();
            readers.awaitReadsOnStandby(200);
            System.out.printf("Replica stopped: stop took %d ms; first read on the primary %d ms after the stop began;"
                    + " %d reads failed (%d readers); back on the standby %d ms after it accepted connections"
                    + " (its start took %d ms)%n",
                    millis(stopped - stopping), millis(readers.firstOnPrimaryAfter(stopping) - stopping),
                    readers.failed(), READERS, millis(readers.firstOnStandbyAfter(started) - started),
                    millis(started - starting));
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** {@link #READERS} threads reading through the router without pause, counting where each read ran. */
    private final class Readers implements AutoCloseable {

        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger onStandby = new AtomicInteger();
        final AtomicInteger onPrimary = new AtomicInteger();
        final List<AtomicInteger> failures = new ArrayList<>();
        final CountDownLatch eachReadOnStandby = new CountDownLatch(READERS);
        final List<Thread> threads = new ArrayList<>();
        /** Every read's end and where it ran, for the first read on a server after a moment. */
        final ConcurrentLinkedQueue<long[]> reads = new java.util.concurrent.ConcurrentLinkedQueue<>();

        Readers() {
            for (int r = 0; r < READERS; r++) {
                AtomicInteger failed = new AtomicInteger();
                failures.add(failed);
                Thread reader = new Thread(() -> {
                    boolean counted = false;
                    while (!stop.get()) {
                        try {
                            boolean standby = readOnStandby();
                            reads.add(new long[] { System.nanoTime(), standby ? 1 : 0 });
                            if (standby) {
                                onStandby.incrementAndGet();
                                if (!counted) {
                                    counted = true;
                                    eachReadOnStandby.countDown();
                                }
                            } else {
                                onPrimary.incrementAndGet();
                            }
                        } catch (SQLException e) {
                            failed.incrementAndGet();
                        }
                    }
                }, "reader-" + r);
                threads.add(reader);
                reader.start();
            }
        }

        void awaitEachReadOnStandby() throws InterruptedException {
            assertThat(eachReadOnStandby.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }

        void awaitReadsOnPrimary(int reads) {
            int before = onPrimary.get();
            await().atMost(WAIT).until(() -> onPrimary.get() >= before + reads);
        }

        void awaitReadsOnStandby(int reads) {
            int before = onStandby.get();
            await().atMost(WAIT).until(() -> onStandby.get() >= before + reads);
        }

        void assertAtMostOneFailedReadEach() {
            for (AtomicInteger failed : failures) {
                assertThat(failed.get()).as("failed reads of one reader: at most the one in flight").isLessThanOrEqualTo(1);
            }
        }

        int failed() {
            return failures.stream().mapToInt(AtomicInteger::get).sum();
        }

        long firstOnPrimaryAfter(long moment) {
            return firstAfter(moment, 0);
        }

        long firstOnStandbyAfter(long moment) {
            return firstAfter(moment, 1);
        }

        private long firstAfter(long moment, long where) {
            return reads.stream().filter(read -> read[1] == where && read[0] - moment > 0).mapToLong(read -> read[0])
                    .min().orElseThrow();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            for (Thread reader : threads) {
                reader.join();
            }
            assertAtMostOneFailedReadEach();
        }
    }

    @Test
    void aLaggingReplicaIsSkippedUntilItCatchesUp() throws SQLException {
        route();
        await().atMost(WAIT).until(() -> monitor.isUsable(replica));
        assertThat(readOnStandby()).isTrue();

        PrimaryAndStandby.execute(servers.primary(), "insert into routed values (0)");
        long lastReplayed = System.nanoTime(); // the standby's data is this old from the pause on
        servers.awaitReplayed();
        servers.pauseReplay();
        PrimaryAndStandby.execute(servers.primary(), "insert into routed values (1)");
        await().atMost(WAIT).until(() -> !monitor.isUsable(replica));
        System.out.printf("Replay paused: replica skipped %d ms after its last replayed commit"
                + " (max lag 1000 ms, checked every 200 ms)%n", millis(System.nanoTime() - lastReplayed));
        assertThat(readOnStandby()).as("the lagging replica is skipped").isFalse();
        // while paused, write on: the lag keeps growing, the replica stays skipped
        PrimaryAndStandby.execute(servers.primary(), "insert into routed values (2)");
        assertThat(readOnStandby()).isFalse();

        servers.resumeReplay();
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
