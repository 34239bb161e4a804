package dev.pool.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.PoolConfig;
import dev.pool.PoolDataSource;
import dev.pool.autoconfigure.endpoint.PoolEndpoint.PoolDescriptor;
import dev.pool.autoconfigure.endpoint.PoolEndpoint.PoolDetailsDescriptor;
import dev.pool.test.StubDriver;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

class PoolEndpointWebExtensionTests {

    private PoolDataSource pool;
    private PoolEndpointWebExtension extension;

    @BeforeEach
    void createPool() {
        PoolConfig config = new PoolConfig();
        config.setName("orders");
        config.setDataSource(new StubDriver().dataSource());
        config.setShutdownTimeout(Duration.ZERO);
        pool = new PoolDataSource(config);
        extension = new PoolEndpointWebExtension(new PoolEndpoint(Map.of("orders", pool)));
    }

    @AfterEach
    void closePool() {
        pool.close();
    }

    @Test
    void knownPoolIs200WithItsDetails() {
        WebEndpointResponse<Object> response = extension.pool("orders");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getBody()).isInstanceOf(PoolDetailsDescriptor.class);
    }

    @Test
    void unknownPoolIs404NamingThePoolsThereAre() {
        assertThat(extension.pool("missing")).satisfies((response) -> {
            assertThat(response.getStatus()).isEqualTo(404);
            assertThat(response.getBody()).isEqualTo(Map.of("message", "No pool named 'missing'; the pools are [orders]"));
        });
        assertThat(extension.operate("missing", "suspend", null, null).getStatus()).isEqualTo(404);
    }

    @Test
    void actionIs200WithTheNewSnapshot() {
        WebEndpointResponse<Object> response = extension.operate("orders", "resize", 1, 3);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getBody()).isInstanceOfSatisfying(PoolDescriptor.class,
                (snapshot) -> assertThat(snapshot.getMaxSize()).isEqualTo(3));
    }

    @Test
    void badActionIs400WithTheReason() {
        WebEndpointResponse<Object> response = extension.operate("orders", "reboot", null, null);

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getBody()).isEqualTo(Map.of("message",
                "Unknown action 'reboot': use one of evict-idle, evict-all, suspend, resume, resize"));
    }

    @Test
    void invalidSizeIs400NamingTheProperty() {
        WebEndpointResponse<Object> response = extension.operate("orders", "resize", 5, 2);

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getBody()).asString().contains("pool.min-idle = 5 is invalid");
        assertThat(pool.stats().maxSize()).isEqualTo(10);
    }
}
