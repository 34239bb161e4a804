package dev.pool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.pool.PoolDataSource;
import dev.pool.PoolState;
import dev.pool.PoolStats;
import dev.pool.test.EmbeddedPostgresExtension;
import dev.pool.test.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The endpoint as an application gets it without opting in: exposed over HTTP, but with no
 * {@code management.endpoint.pool.access}. Reads work; every action is refused by Boot before it
 * reaches the pool, and the pool is as it was. ({@link PoolActuatorPostgresTests} runs the actions
 * with {@code access=unrestricted}.)
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "pool.name=orders",
        "pool.initial-size=2",
        "pool.max-size=5",
        "management.endpoints.web.exposure.include=pool" })
@ExtendWith(EmbeddedPostgresExtension.class)
class PoolEndpointDefaultAccessPostgresTests {

    private static final String APPLICATION_NAME = "pool-default-access-test";

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @Autowired
    private PoolDataSource pool;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase database = EmbeddedPostgresExtension.database();
        registry.add("pool.url", () -> database.jdbcUrl(APPLICATION_NAME));
        registry.add("pool.username", database::username);
        registry.add("pool.password", database::password);
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"action\": \"evict-idle\"}", "{\"action\": \"evict-all\"}",
            "{\"action\": \"suspend\"}", "{\"action\": \"resize\", \"minIdle\": 0, \"maxSize\": 1}" })
    void actionsAreRefusedAndChangeNothing(String action, TestDatabase database) throws Exception {
        PoolStats before = pool.stats();
        assertThat(before.idle()).isEqualTo(2);

        HttpResponse<String> response = post("/actuator/pool/orders", action);

        // Boot maps no write operation for a read-only endpoint: the path answers GET only
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(pool.state()).isEqualTo(PoolState.RUNNING);
        assertThat(pool.stats()).isEqualTo(before);
        assertThat(pool.getMinIdle()).isZero();
        assertThat(database.backendCount(APPLICATION_NAME)).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/actuator/pool", "/actuator/pool/orders" })
    void readsWork(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        String state = path.endsWith("orders") ? "$.state" : "$.pools.orders.state";
        assertThat(JsonPath.parse(response.body()).read(state, String.class)).isEqualTo("RUNNING");
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
