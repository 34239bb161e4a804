package dev.pool.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pool.EvictionReason;
import dev.pool.PoolConfig;
import dev.pool.PoolDataSource;
import dev.pool.test.OtherThread;
import dev.pool.test.StubDriver;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PoolMetricsTest {

    private static final List<String> GAUGES = List.of("pool.connections.active", "pool.connections.idle",
            "pool.connections.total", "pool.connections.pending", "pool.connections.max", "pool.connections.min");
    private static final List<String> TIMERS = List.of("pool.connections.acquire", "pool.connections.usage",
            "pool.connections.creation");
    private static final List<String> COUNTERS = List.of("pool.connections.waits", "pool.connections.timeouts",
            "pool.connections.evictions", "pool.connections.rejections", "pool.connections.resets");

    private static final List<String> OTEL = List.of("db.client.connection.count", "db.client.connection.max",
            "db.client.connection.idle.max", "db.client.connection.idle.min", "db.client.connection.pending_requests",
            "db.client.connection.timeouts", "db.client.connection.create_time", "db.client.connection.wait_time",
            "db.client.connection.use_time");

    private final StubDriver driver = new StubDriver();
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final List<PoolDataSource> pools = new ArrayList<>();

    @AfterEach
    void closePools() {
        driver.releaseConnects();
        pools.forEach(PoolDataSource::close);
    }

    @Test
    void registersEveryMetricOfTheSpecWithPoolTagAndDescription() {
        PoolDataSource pool = pool(c -> c.setName("orders"));
        new PoolMetrics(pool).bindTo(registry);

        List<String> names = registry.getMeters().stream().map(m -> m.getId().getName()).distinct().toList();
        assertThat(names).containsExactlyInAnyOrderElementsOf(concat(GAUGES, TIMERS, COUNTERS));
        assertThat(registry.getMeters()).allSatisfy(meter -> {
            assertThat(meter.getId().getTag("pool")).isEqualTo("orders");
            assertThat(meter.getId().getDescription()).isNotBlank();
        });
        GAUGES.forEach(name -> assertThat(registry.get(name).gauge().getId().getType()).isEqualTo(Meter.Type.GAUGE));
        TIMERS.forEach(name -> assertThat(registry.get(name).timer()).isNotNull());
        COUNTERS.forEach(name -> assertThat(registry.get(name).functionCounters()).isNotEmpty());
    }

    @Test
    void evictionCounterHasOneSeriesPerReason() {
        PoolDataSource pool = pool(c -> { });
        new PoolMetrics(pool).bindTo(registry);

        List<String> reasons = registry.get("pool.connections.evictions").functionCounters().stream()
                .map(counter -> counter.getId().getTag("reason")).toList();
        assertThat(reasons).containsExactlyInAnyOrder("idle-time", "reuse-time", "reuse-count", "max-idle",
                "abandoned", "broken", "manual", "read-only");
        assertThat(registry.get("pool.connections.evictions").functionCounters())
                .allSatisfy(counter -> assertThat(counter.count()).isZero());
    }

    @Test
    void gaugesReadTheCurrentStats() throws Exception {
        PoolDataSource pool = pool(c -> {
            c.setMaxSize(5);
            c.setMinSize(1);
            c.setInitialSize(3);
        });
        new PoolMetrics(pool).bindTo(registry);

        try (Connection first = pool.getConnection(); Connection second = pool.getConnection()) {
            assertThat(gauge("active")).isEqualTo(2);
            assertThat(gauge("idle")).isEqualTo(1);
            assertThat(gauge("total")).isEqualTo(3);
            assertThat(gauge("pending")).isZero();
            assertThat(gauge("max")).isEqualTo(5);
            assertThat(gauge("min")).isEqualTo(1);
        }
        assertThat(gauge("active")).isZero();
        assertThat(gauge("idle")).isEqualTo(3);
    }

    @Test
    void pendingGaugeCountsWaitingBorrowersAndWaitsCounterCountsThem() throws Exception {
        PoolDataSource pool = pool(c -> {
            c.setMaxSize(1);
            c.setInitialSize(1); // so the first borrow finds one idle rather than waiting for a connect
        });
        new PoolMetrics(pool).bindTo(registry);
        Connection held = pool.getConnection();

        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
            try (Connection c = pool.getConnection()) {
                // borrowed after waiting
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge("pending") == 1);
        held.close();
        waiter.get(5, TimeUnit.SECONDS);

        assertThat(gauge("pending")).isZero();
        assertThat(registry.get("pool.connections.waits").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("pool.connections.timeouts").functionCounter().count()).isZero();
    }

    @Test
    void timersRecordAcquireUsageAndCreation() throws Exception {
        driver.setConnectDelay(Duration.ofMillis(20));
        PoolDataSource pool = pool(c -> { });
        new PoolMetrics(pool).bindTo(registry);

        try (Connection c = pool.getConnection()) {
            assertThat(timer("usage").count()).isZero();
        }

        assertThat(timer("creation").count()).isEqualTo(1);
        assertThat(timer("creation").totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(20);
        assertThat(timer("acquire").count()).isEqualTo(1);
        // the borrow opened the connection, so it took at least the connect
        assertThat(timer("acquire").totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(20);
        assertThat(timer("usage").count()).isEqualTo(1);
    }

    @Test
    void timersAskForPercentileHistograms() {
        Map<String, Boolean> histograms = new ConcurrentHashMap<>();
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                histograms.put(id.getName(), Boolean.TRUE.equals(config.isPercentileHistogram()));
                return config;
            }
        });
        PoolDataSource pool = pool(c -> { });

        new PoolMetrics(pool).bindTo(registry);

        assertThat(histograms).containsOnlyKeys(TIMERS).doesNotContainValue(false);
    }

    @Test
    void timedOutAcquireCountsAsWaitAndTimeoutAndIsTimed() throws Exception {
        PoolDataSource pool = pool(c -> {
            c.setMaxSize(1);
            c.setInitialSize(1);
            c.setConnectionWaitTimeout(Duration.ofMillis(50));
        });
        new PoolMetrics(pool).bindTo(registry);

        try (Connection held = pool.getConnection()) {
            assertThatThrownBy(() -> OtherThread.getConnection(pool)).isInstanceOf(SQLTransientConnectionException.class);
        }

        assertThat(registry.get("pool.connections.timeouts").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("pool.connections.waits").functionCounter().count()).isEqualTo(1);
        assertThat(timer("acquire").count()).isEqualTo(2);
        assertThat(timer("acquire").max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(50);
    }

    @Test
    void evictionsAreCountedByReason() throws Exception {
        PoolDataSource pool = pool(c -> c.setInitialSize(2));
        new PoolMetrics(pool).bindTo(registry);

        pool.evictIdle();

        assertThat(evictions(EvictionReason.MANUAL)).isEqualTo(2);
        assertThat(evictions(EvictionReason.IDLE_TIME)).isZero();
    }

    @Test
    void resetsAreCountedByWhatWasReset() throws Exception {
        PoolDataSource pool = pool(c -> { });
        new PoolMetrics(pool).bindTo(registry);

        try (java.sql.Connection c = pool.getConnection()) {
            c.setSchema("audit");
        }

        List<String> kinds = registry.get("pool.connections.resets").functionCounters().stream()
                .map(counter -> counter.getId().getTag("what")).toList();
        assertThat(kinds).containsExactlyInAnyOrder("rollback", "auto-commit", "read-only", "isolation", "catalog", "schema",
                "statements");
        assertThat(registry.get("pool.connections.resets").tag("what", "schema").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("pool.connections.resets").tag("what", "rollback").functionCounter().count()).isZero();
    }

    @Test
    void rejectionsAreCountedByReason() throws Exception {
        PoolDataSource pool = pool(c -> c.setMaxSize(1));
        new PoolMetrics(pool).bindTo(registry);

        try (java.sql.Connection held = pool.getConnection()) {
            assertThatThrownBy(pool::getConnection).hasMessageContaining("deadlock"); // this thread holds the only one
        }

        assertThat(registry.get("pool.connections.rejections").functionCounters().stream()
                .map(counter -> counter.getId().getTag("reason")).toList())
                .containsExactlyInAnyOrder("queue-full", "predicted-timeout", "deadlock");
        assertThat(registry.get("pool.connections.rejections").tag("reason", "deadlock").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("pool.connections.rejections").tag("reason", "queue-full").functionCounter().count()).isZero();
    }

    @Test
    void countersIncludeWhatHappenedBeforeBinding() throws Exception {
        PoolDataSource pool = pool(c -> c.setInitialSize(1));
        pool.evictIdle();

        new PoolMetrics(pool).bindTo(registry);

        assertThat(evictions(EvictionReason.MANUAL)).isEqualTo(1);
    }

    @Test
    void extraTagsAreAddedToEveryMeter() {
        PoolDataSource pool = pool(c -> c.setName("orders"));
        new PoolMetrics(pool, Tags.of("region", "eu")).bindTo(registry);

        assertThat(registry.getMeters()).allSatisfy(meter -> {
            assertThat(meter.getId().getTag("region")).isEqualTo("eu");
            assertThat(meter.getId().getTag("pool")).isEqualTo("orders");
        });
    }

    @Test
    void eachPoolGetsItsOwnSeries() throws Exception {
        PoolDataSource orders = pool(c -> c.setName("orders"));
        PoolDataSource audit = pool(c -> c.setName("audit"));
        new PoolMetrics(orders).bindTo(registry);
        new PoolMetrics(audit).bindTo(registry);

        try (Connection c = orders.getConnection()) {
            assertThat(registry.get("pool.connections.active").tag("pool", "orders").gauge().value()).isEqualTo(1);
            assertThat(registry.get("pool.connections.active").tag("pool", "audit").gauge().value()).isZero();
        }
        assertThat(registry.get("pool.connections.acquire").tag("pool", "audit").timer().count()).isZero();
    }

    @Test
    void bindingTwiceToOneRegistryRecordsOnce() throws Exception {
        PoolDataSource pool = pool(c -> { });
        PoolMetrics metrics = new PoolMetrics(pool);
        metrics.bindTo(registry);
        metrics.bindTo(registry);

        pool.getConnection().close();

        assertThat(timer("acquire").count()).isEqualTo(1);
    }

    @Test
    void eachBoundRegistryGetsTheTimings() throws Exception {
        PoolDataSource pool = pool(c -> { });
        MeterRegistry other = new SimpleMeterRegistry();
        PoolMetrics metrics = new PoolMetrics(pool);
        metrics.bindTo(registry);
        metrics.bindTo(other);

        pool.getConnection().close();

        assertThat(timer("acquire").count()).isEqualTo(1);
        assertThat(other.get("pool.connections.acquire").timer().count()).isEqualTo(1);
    }

    @Test
    void closeStopsTheTimers() throws Exception {
        PoolDataSource pool = pool(c -> { });
        PoolMetrics metrics = new PoolMetrics(pool);
        metrics.bindTo(registry);
        pool.getConnection().close();

        metrics.close();
        pool.getConnection().close();

        assertThat(timer("acquire").count()).isEqualTo(1);
        assertThat(registry.get("pool.connections.active").gauge().value()).isZero();
    }

    @Test
    void openTelemetryNamesAreOffByDefault() {
        new PoolMetrics(pool(c -> { })).bindTo(registry);

        assertThat(registry.getMeters()).noneMatch(meter -> meter.getId().getName().startsWith("db.client."));
    }

    @Test
    void openTelemetryNamesPublishEverySemanticConventionMeterTaggedWithThePoolName() {
        PoolDataSource pool = pool(c -> c.setName("orders"));
        new PoolMetrics(pool, Tags.empty(), true).bindTo(registry);

        List<String> names = registry.getMeters().stream().map(m -> m.getId().getName())
                .filter(name -> name.startsWith("db.client.")).distinct().toList();
        assertThat(names).containsExactlyInAnyOrderElementsOf(OTEL);
        assertThat(registry.getMeters()).filteredOn(meter -> meter.getId().getName().startsWith("db.client."))
                .allSatisfy(meter -> {
                    assertThat(meter.getId().getTag("db.client.connection.pool.name")).isEqualTo("orders");
                    assertThat(meter.getId().getTag("pool")).isNull();
                    assertThat(meter.getId().getDescription()).isNotBlank();
                });
        assertThat(registry.get("pool.connections.active").tag("pool", "orders").gauge()).isNotNull();
    }

    @Test
    void openTelemetryMetersReadTheSameStatsAndTimings() throws Exception {
        PoolDataSource pool = pool(c -> {
            c.setMaxSize(2);
            c.setMinIdle(1);
            c.setMaxIdle(1);
        });
        new PoolMetrics(pool, Tags.empty(), true).bindTo(registry);

        try (Connection first = pool.getConnection(); Connection second = pool.getConnection()) {
            assertThat(otelCount("used")).isEqualTo(2);
            assertThat(otelCount("idle")).isZero();
            // on another thread (on this one, holding every connection, it would be a pool deadlock), for 50 ms only:
            // the two borrows above may each wait for a connect on a busy machine, so the pool's own timeout stays long
            CompletableFuture<Connection> third = CompletableFuture.supplyAsync(() -> {
                try {
                    return pool.getConnection(Duration.ofMillis(50));
                } catch (SQLException e) {
                    throw new CompletionException(e);
                }
            });
            assertThatThrownBy(() -> third.get(1, TimeUnit.MINUTES)).hasCauseInstanceOf(SQLTransientConnectionException.class);
        }
        assertThat(otelCount("used")).isZero();
        assertThat(otelCount("idle")).as("one kept, one closed as max-idle").isEqualTo(1);

        assertThat(registry.get("db.client.connection.max").gauge().value()).isEqualTo(2);
        assertThat(registry.get("db.client.connection.idle.max").gauge().value()).isEqualTo(1);
        assertThat(registry.get("db.client.connection.idle.min").gauge().value()).isEqualTo(1);
        assertThat(registry.get("db.client.connection.pending_requests").gauge().value()).isZero();
        assertThat(registry.get("db.client.connection.timeouts").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("db.client.connection.wait_time").timer().count()).isEqualTo(3);
        assertThat(registry.get("db.client.connection.wait_time").timer().max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(50);
        assertThat(registry.get("db.client.connection.use_time").timer().count()).isEqualTo(2);
        assertThat(registry.get("db.client.connection.create_time").timer().count())
                .isEqualTo(timer("creation").count()).isGreaterThanOrEqualTo(2);
        assertThat(timer("acquire").count()).as("our own timers go on as before").isEqualTo(3);
    }

    private double otelCount(String state) {
        return registry.get("db.client.connection.count").tag("db.client.connection.state", state).gauge().value();
    }

    private PoolDataSource pool(Consumer<PoolConfig> settings) {
        PoolConfig config = new PoolConfig();
        config.setName("test");
        config.setDataSource(driver.dataSource());
        config.setShutdownTimeout(Duration.ZERO);
        settings.accept(config);
        PoolDataSource pool = new PoolDataSource(config);
        pools.add(pool);
        return pool;
    }

    private double gauge(String name) {
        return registry.get("pool.connections." + name).gauge().value();
    }

    private Timer timer(String name) {
        return registry.get("pool.connections." + name).timer();
    }

    private double evictions(EvictionReason reason) {
        return registry.get("pool.connections.evictions").tag("reason", reason.tag()).functionCounter().count();
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> list : lists) {
            all.addAll(list);
        }
        return all;
    }
}
