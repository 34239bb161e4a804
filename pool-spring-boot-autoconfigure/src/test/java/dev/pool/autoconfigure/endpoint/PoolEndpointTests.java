package dev.pool.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import dev.pool.PoolConfig;
import dev.pool.PoolDataSource;
import dev.pool.PoolState;
import dev.pool.autoconfigure.endpoint.PoolEndpoint.ConnectionDescriptor;
import dev.pool.autoconfigure.endpoint.PoolEndpoint.PoolDescriptor;
import dev.pool.autoconfigure.endpoint.PoolEndpoint.PoolDetailsDescriptor;
import dev.pool.test.StubDriver;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

class PoolEndpointTests {

    private final StubDriver driver = new StubDriver();
    private final List<PoolDataSource> open = new ArrayList<>();

    @AfterEach
    void closePools() {
        open.forEach(PoolDataSource::close);
    }

    @Test
    void listsASnapshotOfEveryPoolByName() throws Exception {
        PoolDataSource orders = pool("orders", c -> {
            c.setInitialSize(2);
            c.setMaxSize(4);
            c.setMinSize(1);
            c.setMinIdle(1);
        });
        PoolDataSource audit = pool("audit", c -> { });
        PoolEndpoint endpoint = endpoint(orders, audit);

        try (Connection borrowed = orders.getConnection()) {
            Map<String, PoolDescriptor> pools = endpoint.pools().getPools();

            assertThat(pools).containsOnlyKeys("orders", "audit");
            PoolDescriptor snapshot = pools.get("orders");
            assertThat(snapshot.getState()).isEqualTo(PoolState.RUNNING);
            assertThat(snapshot.getActive()).isEqualTo(1);
            assertThat(snapshot.getIdle()).isEqualTo(1);
            assertThat(snapshot.getTotal()).isEqualTo(2);
            assertThat(snapshot.getPending()).isZero();
            assertThat(snapshot.getMaxSize()).isEqualTo(4);
            assertThat(snapshot.getMinSize()).isEqualTo(1);
            assertThat(snapshot.getMinIdle()).isEqualTo(1);
            assertThat(snapshot.getCounters().getBorrowed()).isEqualTo(1);
            assertThat(snapshot.getCounters().getCreated()).isEqualTo(2);
            assertThat(snapshot.getCounters().getWaits()).isZero();
            assertThat(snapshot.getCounters().getTimeouts()).isZero();
            assertThat(snapshot.getCounters().getEvictions()).containsOnlyKeys("idle-time", "reuse-time",
                    "reuse-count", "max-idle", "abandoned", "broken", "manual", "read-only");
            assertThat(snapshot.getConfig()).containsEntry("name", "orders").containsEntry("max-size", 4);
        }
    }

    @Test
    void showsOnePoolWithItsConnections() throws Exception {
        PoolDataSource pool = pool("orders", c -> {
            c.setInitialSize(2);
            c.setLeakDetectionThreshold(Duration.ofMinutes(1));
        });
        PoolEndpoint endpoint = endpoint(pool);

        try (Connection borrowed = pool.getConnection()) {
            PoolDetailsDescriptor details = endpoint.pool("orders");

            assertThat(details).isNotNull();
            assertThat(details.getActive()).isEqualTo(1);
            assertThat(details.getConnections()).hasSize(2);
            ConnectionDescriptor active = connection(details, "active");
            assertThat(active.getBorrowCount()).isEqualTo(1);
            assertThat(active.getHeldMs()).isNotNull().isNotNegative();
            assertThat(active.getLastUsedMs()).isNotNull().isNotNegative();
            assertThat(active.getThread()).isEqualTo(Thread.currentThread().getName());
            assertThat(active.getStack()).contains(PoolEndpointTests.class.getName());
            ConnectionDescriptor idle = connection(details, "idle");
            assertThat(idle.getHeldMs()).isNull();
            assertThat(idle.getThread()).isNull();
            assertThat(idle.getStack()).isNull();
        }
    }

    @Test
    void unknownPoolIsNull() {
        PoolEndpoint endpoint = endpoint(pool("orders", c -> { }));

        assertThat(endpoint.pool("missing")).isNull();
        assertThat(endpoint.operate("missing", "suspend", null, null)).isNull();
    }

    @Test
    void evictIdleClosesIdleConnections() {
        PoolDataSource pool = pool("orders", c -> c.setInitialSize(2));

        PoolDescriptor after = endpoint(pool).operate("orders", "evict-idle", null, null);

        assertThat(after.getIdle()).isZero();
        assertThat(after.getCounters().getEvictions()).containsEntry("manual", 2L);
        // the pool closes physical connections on a worker thread
        await().atMost(Duration.ofSeconds(5)).until(() -> driver.openConnections() == 0);
    }

    @Test
    void evictAllClosesBorrowedConnectionsWhenReturned() throws Exception {
        PoolDataSource pool = pool("orders", c -> c.setInitialSize(2));
        PoolEndpoint endpoint = endpoint(pool);
        Connection borrowed = pool.getConnection();

        PoolDescriptor after = endpoint.operate("orders", "evict-all", null, null);
        assertThat(after.getIdle()).isZero();
        assertThat(after.getActive()).isEqualTo(1);
        borrowed.close();

        assertThat(endpoint.pool("orders").getTotal()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> driver.openConnections() == 0);
    }

    @Test
    void suspendAndResumeSwitchTheState() {
        PoolDataSource pool = pool("orders", c -> { });
        PoolEndpoint endpoint = endpoint(pool);

        assertThat(endpoint.operate("orders", "suspend", null, null).getState()).isEqualTo(PoolState.SUSPENDED);
        assertThat(pool.state()).isEqualTo(PoolState.SUSPENDED);
        assertThat(endpoint.operate("orders", "resume", null, null).getState()).isEqualTo(PoolState.RUNNING);
        assertThat(pool.state()).isEqualTo(PoolState.RUNNING);
    }

    @Test
    void resizeChangesMinIdleAndMaxSize() {
        PoolDataSource pool = pool("orders", c -> c.setMaxSize(10));

        PoolDescriptor after = endpoint(pool).operate("orders", "resize", 2, 5);

        assertThat(after.getMaxSize()).isEqualTo(5);
        assertThat(after.getMinIdle()).isEqualTo(2);
        assertThat(pool.stats().maxSize()).isEqualTo(5);
        assertThat(pool.getMinIdle()).isEqualTo(2);
    }

    @Test
    void configShowsTheSizesAsAResizeLeftThem() {
        PoolDataSource pool = pool("orders", c -> c.setMaxSize(10));
        PoolEndpoint endpoint = endpoint(pool);
        assertThat(endpoint.pools().getPools().get("orders").getConfig()).containsEntry("max-size", 10)
                .containsEntry("min-idle", 0);

        assertThat(endpoint.operate("orders", "resize", 2, 5).getConfig()).containsEntry("max-size", 5)
                .containsEntry("min-idle", 2);
        assertThat(endpoint.pools().getPools().get("orders").getConfig()).containsEntry("max-size", 5)
                .containsEntry("min-idle", 2);
        assertThat(endpoint.pool("orders").getConfig()).containsEntry("max-size", 5).containsEntry("min-idle", 2);
    }

    @Test
    void resizeKeepsTheSizeItIsNotGiven() {
        PoolDataSource pool = pool("orders", c -> {
            c.setMaxSize(10);
            c.setMinIdle(1);
        });
        PoolEndpoint endpoint = endpoint(pool);

        assertThat(endpoint.operate("orders", "resize", null, 6).getMinIdle()).isEqualTo(1);
        assertThat(endpoint.operate("orders", "resize", 3, null).getMaxSize()).isEqualTo(6);
    }

    @Test
    void rejectsInvalidResizeNamingTheProperty() {
        PoolDataSource pool = pool("orders", c -> c.setMaxSize(10));
        PoolEndpoint endpoint = endpoint(pool);

        assertThatExceptionOfType(InvalidEndpointRequestException.class)
                .isThrownBy(() -> endpoint.operate("orders", "resize", 7, 5))
                .satisfies((ex) -> assertThat(ex.getReason()).contains("pool.min-idle", "7"));
        assertThatExceptionOfType(InvalidEndpointRequestException.class)
                .isThrownBy(() -> endpoint.operate("orders", "resize", 0, -1))
                .satisfies((ex) -> assertThat(ex.getReason()).contains("pool.max-size", "-1"));
        assertThatExceptionOfType(InvalidEndpointRequestException.class)
                .isThrownBy(() -> endpoint.operate("orders", "resize", null, null))
                .satisfies((ex) -> assertThat(ex.getReason()).contains("minIdle", "maxSize"));
        assertThat(pool.stats().maxSize()).isEqualTo(10);
    }

    @Test
    void rejectsUnknownOrMissingAction() {
        PoolEndpoint endpoint = endpoint(pool("orders", c -> { }));

        assertThatExceptionOfType(InvalidEndpointRequestException.class)
                .isThrownBy(() -> endpoint.operate("orders", "restart", null, null))
                .satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(
                        "Unknown action 'restart': use one of evict-idle, evict-all, suspend, resume, resize"));
        assertThatExceptionOfType(InvalidEndpointRequestException.class)
                .isThrownBy(() -> endpoint.operate("orders", null, null, null))
                .satisfies((ex) -> assertThat(ex.getReason()).startsWith("No action given"));
    }

    @Test
    void rejectsSizesWithAnotherAction() {
        PoolDataSource pool = pool("orders", c -> { });

        assertThatExceptionOfType(InvalidEndpointRequestException.class)
                .isThrownBy(() -> endpoint(pool).operate("orders", "suspend", null, 3))
                .satisfies((ex) -> assertThat(ex.getReason()).contains("'resize' only"));
        assertThat(pool.state()).isEqualTo(PoolState.RUNNING);
    }

    @Test
    void rejectsActionsOnAClosedPool() {
        PoolDataSource pool = pool("orders", c -> { });
        pool.close();

        assertThatExceptionOfType(InvalidEndpointRequestException.class)
                .isThrownBy(() -> endpoint(pool).operate("orders", "resume", null, null))
                .satisfies((ex) -> assertThat(ex.getReason()).isEqualTo("Pool 'orders' is closed"));
        assertThat(endpoint(pool).pool("orders").getState()).isEqualTo(PoolState.CLOSED);
    }

    @Test
    void configMasksEverySecret() {
        PoolConfig config = new PoolConfig();
        config.setName("orders");
        config.setUrl("jdbc:postgresql://db:5432/app?user=app&password=url-secret&ssl=true");
        config.setUsername("app");
        config.setPassword("hunter2");
        config.setDataSourceProperties(Map.of("sslpassword", "key-secret", "ApplicationName", "orders"));
        config.setInitialSize(0);
        // the pool itself connects through the stub driver; its config is what the endpoint shows
        config.setDataSource(driver.dataSource());
        PoolDataSource pool = track(new PoolDataSource(config));

        Map<String, Object> shown = endpoint(pool).pool("orders").getConfig();

        assertThat(shown).containsEntry("password", "******")
                .containsEntry("url", "jdbc:postgresql://db:5432/app?user=app&password=******&ssl=true")
                .containsEntry("username", "app")
                .containsEntry("data-source-properties", Map.of("sslpassword", "******", "ApplicationName", "orders"));
        assertThat(shown.toString()).doesNotContain("hunter2", "url-secret", "key-secret");
    }

    private PoolDataSource pool(String name, Consumer<PoolConfig> settings) {
        PoolConfig config = new PoolConfig();
        config.setName(name);
        config.setDataSource(driver.dataSource());
        config.setShutdownTimeout(Duration.ZERO);
        settings.accept(config);
        return track(new PoolDataSource(config));
    }

    private PoolDataSource track(PoolDataSource pool) {
        open.add(pool);
        return pool;
    }

    private static PoolEndpoint endpoint(PoolDataSource... pools) {
        Map<String, PoolDataSource> byName = new LinkedHashMap<>();
        for (PoolDataSource pool : pools) {
            byName.put(pool.getName(), pool);
        }
        return new PoolEndpoint(byName);
    }

    private static ConnectionDescriptor connection(PoolDetailsDescriptor details, String state) {
        return details.getConnections().stream().filter((c) -> c.getState().equals(state)).findFirst().orElseThrow();
    }
}
