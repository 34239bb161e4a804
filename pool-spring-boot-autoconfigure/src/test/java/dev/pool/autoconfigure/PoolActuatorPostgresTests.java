package dev.pool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.pool.EvictionReason;
import dev.pool.PoolDataSource;
import dev.pool.test.EmbeddedPostgresExtension;
import dev.pool.test.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What an operator sees: a Boot web application on a real PostgreSQL with the actuator, asked over
 * HTTP for the pool endpoint (every operation, its actions switched on with
 * {@code management.endpoint.pool.access=unrestricted}), Micrometer's metrics and Prometheus scrape,
 * and health. {@link PoolEndpointDefaultAccessPostgresTests} shows the actions off by default.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "pool.name=orders",
        "pool.initial-size=2",
        "pool.max-size=5",
        "pool.leak-detection-threshold=10m",
        "pool.data-source-properties.sslpassword=" + PoolActuatorPostgresTests.SECRET,
        "management.endpoints.web.exposure.include=pool,health,metrics,prometheus",
        "management.endpoint.pool.access=unrestricted",
        "management.endpoint.health.show-details=always" })
@ExtendWith(EmbeddedPostgresExtension.class)
class PoolActuatorPostgresTests {

    /** Appears nowhere but in a secret connection property, so it must appear in no response. */
    static final String SECRET = "hunter2-never-shown";

    private static final String APPLICATION_NAME = "pool-actuator-test";

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @Autowired
    private PoolDataSource pool;

    @Autowired
    private JdbcTemplate jdbcTemplate;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase database = EmbeddedPostgresExtension.database();
        // the password in the URL too, as some applications write it, to prove it is masked there
        registry.add("pool.url", () -> database.jdbcUrl(APPLICATION_NAME) + "&password="
                + URLEncoder.encode(database.password(), StandardCharsets.UTF_8));
        registry.add("pool.username", database::username);
        registry.add("pool.password", database::password);
    }

    @Test
    void listsEveryPoolWithSecretsMasked() throws Exception {
        jdbcTemplate.queryForObject("select 1", Integer.class);

        HttpResponse<String> response = get("/actuator/pool");

        assertThat(response.statusCode()).isEqualTo(200);
        DocumentContext json = JsonPath.parse(response.body());
        assertThat(json.read("$.pools", Map.class)).containsOnlyKeys("orders");
        assertThat(json.read("$.pools.orders.state", String.class)).isEqualTo("RUNNING");
        assertThat(json.read("$.pools.orders.maxSize", Integer.class)).isEqualTo(5);
        assertThat(json.read("$.pools.orders.total", Integer.class))
                .isEqualTo(json.read("$.pools.orders.active", Integer.class) + json.read("$.pools.orders.idle", Integer.class));
        assertThat(json.read("$.pools.orders.counters.borrowed", Long.class)).isPositive();
        assertThat(json.read("$.pools.orders.counters.evictions", Map.class)).containsOnlyKeys("idle-time",
                "reuse-time", "reuse-count", "max-idle", "abandoned", "broken", "manual", "read-only");
        assertThat(json.read("$.pools.orders.counters.rejections", Map.class)).containsOnlyKeys("queue-full",
                "predicted-timeout", "deadlock");
        assertThat(json.read("$.pools.orders.config.max-size", Integer.class)).isEqualTo(5);
        assertThat(json.read("$.pools.orders.config.leak-detection-threshold", String.class)).isEqualTo("10m");
        assertThat(json.read("$.pools.orders.config.password", String.class)).isEqualTo("******");
        assertThat(json.read("$.pools.orders.config.url", String.class)).endsWith("&password=******");
        assertThat(json.read("$.pools.orders.config.data-source-properties.sslpassword", String.class))
                .isEqualTo("******");
        assertThat(response.body()).doesNotContain(SECRET);
    }

    @Test
    void showsOnePoolWithItsConnections() throws Exception {
        try (Connection held = pool.getConnection()) {
            HttpResponse<String> response = get("/actuator/pool/orders");

            assertThat(response.statusCode()).isEqualTo(200);
            DocumentContext json = JsonPath.parse(response.body());
            assertThat(json.read("$.state", String.class)).isEqualTo("RUNNING");
            assertThat(json.read("$.config.name", String.class)).isEqualTo("orders");
            List<Map<String, Object>> active = json.read("$.connections[?(@.state == 'active')]");
            assertThat(active).singleElement().satisfies((connection) -> {
                assertThat(connection).containsKeys("ageMs", "borrowCount", "heldMs", "lastUsedMs");
                assertThat(connection.get("thread")).isEqualTo(Thread.currentThread().getName());
                assertThat(connection.get("stack")).asString().contains(getClass().getName());
            });
            List<Map<String, Object>> idle = json.read("$.connections[?(@.state == 'idle')]");
            assertThat(idle).allSatisfy((connection) -> assertThat(connection)
                    .containsOnlyKeys("state", "ageMs", "borrowCount"));
            assertThat(response.body()).doesNotContain(SECRET);
        }
    }

    @Test
    void unknownPoolIs404() throws Exception {
        HttpResponse<String> response = get("/actuator/pool/inventory");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JsonPath.parse(response.body()).read("$.message", String.class))
                .isEqualTo("No pool named 'inventory'; the pools are [orders]");
        assertThat(post("/actuator/pool/inventory", "{\"action\": \"suspend\"}").statusCode()).isEqualTo(404);
    }

    @Test
    void evictIdleClosesTheIdleConnections() throws Exception {
        jdbcTemplate.queryForObject("select 1", Integer.class);
        long evictedBefore = pool.stats().evictions().get(EvictionReason.MANUAL);
        int idleBefore = pool.stats().idle();

        HttpResponse<String> response = post("/actuator/pool/orders", "{\"action\": \"evict-idle\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        DocumentContext json = JsonPath.parse(response.body());
        assertThat(json.read("$.idle", Integer.class)).isZero();
        assertThat(json.read("$.counters.evictions.manual", Long.class)).isEqualTo(evictedBefore + idleBefore);
    }

    @Test
    void evictAllClosesBorrowedConnectionsOnReturn(TestDatabase database) throws Exception {
        Connection held = pool.getConnection();

        HttpResponse<String> response = post("/actuator/pool/orders", "{\"action\": \"evict-all\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JsonPath.parse(response.body()).read("$.idle", Integer.class)).isZero();
        assertThat(JsonPath.parse(response.body()).read("$.active", Integer.class)).isEqualTo(1);
        held.close();
        assertThat(pool.stats().total()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> database.backendCount(APPLICATION_NAME) == 0);
    }

    @Test
    void suspendHoldsBorrowersUntilResume() throws Exception {
        HttpResponse<String> suspended = post("/actuator/pool/orders", "{\"action\": \"suspend\"}");
        CompletableFuture<Integer> borrower;
        try {
            assertThat(suspended.statusCode()).isEqualTo(200);
            assertThat(JsonPath.parse(suspended.body()).read("$.state", String.class)).isEqualTo("SUSPENDED");

            borrower = CompletableFuture.supplyAsync(() -> jdbcTemplate.queryForObject("select 42", Integer.class));
            await().atMost(Duration.ofSeconds(5)).until(() -> JsonPath.parse(get("/actuator/pool/orders").body())
                    .read("$.pending", Integer.class) == 1);
            assertThat(borrower).isNotDone();
        } finally {
            HttpResponse<String> resumed = post("/actuator/pool/orders", "{\"action\": \"resume\"}");
            assertThat(resumed.statusCode()).isEqualTo(200);
            assertThat(JsonPath.parse(resumed.body()).read("$.state", String.class)).isEqualTo("RUNNING");
        }
        assertThat(borrower.get(5, TimeUnit.SECONDS)).isEqualTo(42);
    }

    @Test
    void resizeChangesTheSizes() throws Exception {
        try {
            HttpResponse<String> response = post("/actuator/pool/orders",
                    "{\"action\": \"resize\", \"minIdle\": 2, \"maxSize\": 3}");

            assertThat(response.statusCode()).isEqualTo(200);
            DocumentContext json = JsonPath.parse(response.body());
            assertThat(json.read("$.maxSize", Integer.class)).isEqualTo(3);
            assertThat(json.read("$.minIdle", Integer.class)).isEqualTo(2);
            assertThat(json.read("$.config.max-size", Integer.class)).isEqualTo(3);
            assertThat(json.read("$.config.min-idle", Integer.class)).isEqualTo(2);
            // and so do later reads, of every pool and of this one
            DocumentContext pools = JsonPath.parse(get("/actuator/pool").body());
            assertThat(pools.read("$.pools.orders.config.max-size", Integer.class)).isEqualTo(3);
            assertThat(pools.read("$.pools.orders.config.min-idle", Integer.class)).isEqualTo(2);
            DocumentContext orders = JsonPath.parse(get("/actuator/pool/orders").body());
            assertThat(orders.read("$.config.max-size", Integer.class)).isEqualTo(3);
            assertThat(orders.read("$.config.min-idle", Integer.class)).isEqualTo(2);
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().idle() >= 2);
        } finally {
            pool.resize(0, 5);
        }
    }

    @Test
    void badActionIs400WithAMessage() throws Exception {
        HttpResponse<String> response = post("/actuator/pool/orders", "{\"action\": \"restart\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JsonPath.parse(response.body()).read("$.message", String.class))
                .isEqualTo("Unknown action 'restart': use one of evict-idle, evict-all, suspend, resume, resize");
        assertThat(post("/actuator/pool/orders", "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void invalidResizeIs400AndChangesNothing() throws Exception {
        HttpResponse<String> response = post("/actuator/pool/orders",
                "{\"action\": \"resize\", \"minIdle\": 9, \"maxSize\": 3}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JsonPath.parse(response.body()).read("$.message", String.class))
                .isEqualTo("pool.min-idle = 9 is invalid: must be between 0 and pool.max-size (3)");
        assertThat(post("/actuator/pool/orders", "{\"action\": \"resize\", \"maxSize\": \"many\"}").statusCode())
                .isEqualTo(400);
        assertThat(pool.stats().maxSize()).isEqualTo(5);
    }

    @Test
    void metricsEndpointShowsThePoolMetrics() throws Exception {
        try (Connection held = pool.getConnection()) {
            HttpResponse<String> response = get("/actuator/metrics/pool.connections.active?tag=pool:orders");

            assertThat(response.statusCode()).isEqualTo(200);
            DocumentContext json = JsonPath.parse(response.body());
            assertThat(json.read("$.description", String.class)).isEqualTo("Connections borrowed now");
            assertThat(json.read("$.measurements[0].statistic", String.class)).isEqualTo("VALUE");
            assertThat(json.read("$.measurements[0].value", Double.class)).isGreaterThanOrEqualTo(1.0);
        }
        HttpResponse<String> acquire = get("/actuator/metrics/pool.connections.acquire");
        assertThat(acquire.statusCode()).isEqualTo(200);
        assertThat(JsonPath.parse(acquire.body()).read("$.availableTags[?(@.tag == 'pool')].values[0]", List.class))
                .containsExactly("orders");
    }

    @Test
    void prometheusScrapeHasEveryPoolSeries() throws Exception {
        jdbcTemplate.queryForObject("select 1", Integer.class);

        HttpResponse<String> response = get("/actuator/prometheus");

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> lines = response.body().lines().filter((line) -> !line.startsWith("#")).toList();
        // pool.connections.total is the one gauge Prometheus renames: it keeps _total for counters
        for (String series : List.of("pool_connections_active", "pool_connections_idle", "pool_connections",
                "pool_connections_pending", "pool_connections_max", "pool_connections_min",
                "pool_connections_waits_total", "pool_connections_timeouts_total", "pool_connections_acquire_seconds_count",
                "pool_connections_usage_seconds_count", "pool_connections_creation_seconds_count")) {
            assertThat(lines).as(series).anyMatch((line) -> line.startsWith(series + "{pool=\"orders\"}"));
        }
        assertThat(lines).anyMatch((line) -> line.startsWith("pool_connections_acquire_seconds_bucket{pool=\"orders\",le=\""));
        assertThat(lines).anyMatch((line) -> line.startsWith("pool_connections_usage_seconds_bucket{pool=\"orders\",le=\""));
        assertThat(lines).anyMatch((line) -> line.startsWith("pool_connections_creation_seconds_bucket{pool=\"orders\",le=\""));
        assertThat(lines).anyMatch((line) -> line.startsWith("pool_connections_evictions_total{pool=\"orders\",reason=\"idle-time\"}"));
        assertThat(lines).anyMatch((line) -> line.startsWith("pool_connections_rejections_total{pool=\"orders\",reason=\"deadlock\"}"));
        // Boot's own pool metrics, from the pool's DataSourcePoolMetadata
        assertThat(lines).anyMatch((line) -> line.startsWith("jdbc_connections_max{name=\"dataSource\"} 5"));
    }

    @Test
    void healthShowsThePool() throws Exception {
        HttpResponse<String> response = get("/actuator/health");

        assertThat(response.statusCode()).isEqualTo(200);
        DocumentContext json = JsonPath.parse(response.body());
        assertThat(json.read("$.components.pool.status", String.class)).isEqualTo("UP");
        assertThat(json.read("$.components.pool.details", Map.class)).containsKeys("state", "active", "idle",
                "pending", "max");
        assertThat(json.read("$.components.pool.details.max", Integer.class)).isEqualTo(5);
        assertThat(json.read("$.components.db.status", String.class)).isEqualTo("UP");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
    }
}
