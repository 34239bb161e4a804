package dev.pool.boot.decorated;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.pool.PoolDataSource;
import dev.pool.boot.TestPostgres;
import dev.pool.test.EmbeddedPostgresExtension;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.persistence.EntityManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.support.ProxyDataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The pool behind a JDBC decorator that implements only {@code DataSource} and passes
 * {@code unwrap}/{@code isWrapperFor} on, as datasource-proxy's {@link ProxyDataSource} does (and
 * p6spy and the tracing decorators built on them): the application's DataSource bean is the
 * decorator, yet the pool endpoint, the {@code pool.*} and Boot's {@code jdbc.connections.*} meters,
 * the {@code pool} health and Hibernate's auto-commit hint all find the pool.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "pool.name=decorated",
        "pool.auto-commit=false", "management.endpoints.web.exposure.include=pool,health,metrics",
        "management.endpoint.health.show-details=always" })
@ExtendWith(EmbeddedPostgresExtension.class)
class DecoratedDataSourceTests {

    private static final String PROVIDER_DISABLES_AUTOCOMMIT = "hibernate.connection.provider_disables_autocommit";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, "decorated-test");
    }

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @Autowired
    private DataSource dataSource;

    @Autowired
    private JdbcTemplate jdbcTemplate;

    @Autowired
    private MeterRegistry meterRegistry;

    @Autowired
    private EntityManagerFactory entityManagerFactory;

    @Test
    void theDataSourceIsTheDecoratorAndQueriesPassThroughIt() throws Exception {
        assertThat(dataSource).isInstanceOf(ProxyDataSource.class).isNotInstanceOf(PoolDataSource.class);
        int before = Application.QUERIES.get();

        assertThat(jdbcTemplate.queryForObject("select 1", Integer.class)).isEqualTo(1);

        assertThat(Application.QUERIES.get()).isGreaterThan(before);
        assertThat(dataSource.unwrap(PoolDataSource.class).getName()).isEqualTo("decorated");
    }

    @Test
    void thePoolEndpointShowsThePool() throws Exception {
        HttpResponse<String> response = get("/actuator/pool");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JsonPath.parse(response.body()).read("$.pools", Map.class)).containsOnlyKeys("decorated");
        assertThat(get("/actuator/pool/decorated").statusCode()).isEqualTo(200);
    }

    @Test
    void thePoolsMetersAndBootsOwnArePublished() throws Exception {
        assertThat(meterRegistry.get("pool.connections.max").tag("pool", "decorated").gauge().value()).isEqualTo(10);
        assertThat(meterRegistry.get("jdbc.connections.max").tag("name", "dataSource").gauge().value()).isEqualTo(10);
        assertThat(JsonPath.parse(get("/actuator/metrics/pool.connections.active").body())
                .read("$.availableTags[0].values", java.util.List.class)).containsExactly("decorated");
    }

    @Test
    void thePoolHealthIsReported() throws Exception {
        HttpResponse<String> response = get("/actuator/health");

        assertThat(JsonPath.parse(response.body()).read("$.components.pool.status", String.class)).isEqualTo("UP");
        assertThat(JsonPath.parse(response.body()).read("$.components.pool.details.max", Integer.class)).isEqualTo(10);
    }

    @Test
    void hibernateIsToldThePoolAlreadyDisablesAutoCommit() {
        assertThat(entityManagerFactory.getProperties()).containsEntry(PROVIDER_DISABLES_AUTOCOMMIT, "true");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootApplication
    static class Application {

        static final AtomicInteger QUERIES = new AtomicInteger();

        /** Wraps the DataSource as datasource-proxy's Spring Boot integrations do: a post-processor. */
        @Bean
        static BeanPostProcessor proxyDataSourcePostProcessor() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if (bean instanceof DataSource dataSource && !(bean instanceof ProxyDataSource)) {
                        return ProxyDataSourceBuilder.create(dataSource).name("decorator")
                                .afterQuery((execution, queries) -> QUERIES.incrementAndGet()).build();
                    }
                    return bean;
                }
            };
        }
    }
}
