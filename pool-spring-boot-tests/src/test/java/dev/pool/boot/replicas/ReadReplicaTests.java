package dev.pool.boot.replicas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.pool.PoolDataSource;
import dev.pool.ReplicaMonitor;
import dev.pool.test.PrimaryAndStandby;
import dev.pool.test.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.support.ProxyDataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.transaction.annotation.Transactional;

/**
 * An ordinary Boot web application (Flyway, JPA, JdbcTemplate, the actuator) with
 * {@code pool.replicas[0].url} naming a streaming standby of its database: the DataSource routes
 * {@code @Transactional(readOnly = true)} to the standby and everything else (Flyway's migration
 * too) to the primary, skips the standby while it lags, and the pool endpoint, health and metrics
 * show the replica's pool beside the primary's. Also behind a JDBC decorator.
 */
class ReadReplicaTests {

    private static final String APPLICATION_NAME = "read-replica-test";

    private static PrimaryAndStandby servers;
    private static ConfigurableApplicationContext context;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        servers = PrimaryAndStandby.start();
        context = run(Application.class);
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
        if (servers != null) {
            servers.close();
        }
    }

    @AfterEach
    void replayAgain() {
        servers.resumeReplay();
    }

    /** The application, configured as on a command line (above the tests' application.properties). */
    private static ConfigurableApplicationContext run(Class<?>... sources) {
        TestDatabase primary = servers.primary();
        TestDatabase standby = servers.standby();
        boolean migrate = sources.length == 1; // the decorated second application finds the schema in place
        return new SpringApplicationBuilder(sources).web(WebApplicationType.SERVLET).run(
                "--server.port=0",
                "--spring.datasource.url=" + primary.jdbcUrl(APPLICATION_NAME),
                "--spring.datasource.username=" + primary.username(),
                "--spring.datasource.password=" + primary.password(),
                "--pool.name=orders",
                "--pool.replicas[0].url=" + standby.jdbcUrl(APPLICATION_NAME),
                "--pool.replica-max-lag=1s",
                "--spring.flyway.enabled=" + migrate,
                "--spring.flyway.locations=classpath:dev/pool/boot/replicas",
                "--management.endpoints.web.exposure.include=pool,health,metrics",
                "--management.endpoint.health.show-details=always");
    }

    @Test
    void readOnlyTransactionsRunOnTheReplicaAndEverythingElseOnThePrimary() {
        Reads reads = context.getBean(Reads.class);
        awaitReplicaUsable(context);
        servers.awaitReplayed(); // Flyway's migration, run on the primary, has reached the standby

        assertThat(reads.inRecoveryReadOnly()).as("@Transactional(readOnly = true)").isTrue();
        assertThat(reads.itemsReadOnly()).as("the migration, replicated").isGreaterThanOrEqualTo(1);
        assertThat(reads.insertInRecovery()).as("@Transactional").isFalse();
        assertThat(context.getBean(JdbcTemplate.class).queryForObject("select pg_is_in_recovery()", Boolean.class))
                .as("no transaction").isFalse();
        assertThat(context.getBean(JdbcTemplate.class).queryForObject(
                "select count(*) from flyway_schema_history where success", Integer.class)).isEqualTo(1);
    }

    @Test
    void theDataSourceIsTheRouterAroundThePrimarysPool() throws Exception {
        DataSource dataSource = context.getBean(DataSource.class);

        assertThat(dataSource).isInstanceOf(LazyConnectionDataSourceProxy.class);
        assertThat(dataSource.unwrap(PoolDataSource.class).getName()).isEqualTo("orders");
        assertThat(context.getBean(ReplicaMonitor.class).replicas()).extracting(PoolDataSource::getName)
                .containsExactly("orders-replica-0");
    }

    @Test
    void aLaggingReplicaIsSkippedAndReadsGoToThePrimary() throws Exception {
        Reads reads = context.getBean(Reads.class);
        awaitReplicaUsable(context);
        assertThat(reads.inRecoveryReadOnly()).isTrue();

        servers.pauseReplay();
        reads.insertInRecovery();
        ReplicaMonitor monitor = context.getBean(ReplicaMonitor.class);
        await().atMost(PrimaryAndStandby.WAIT).until(() -> !monitor.replicas().stream().allMatch(monitor::isUsable));

        assertThat(reads.inRecoveryReadOnly()).as("read-only, with the replica lagging").isFalse();
        DocumentContext health = JsonPath.parse(get("/actuator/health").body());
        assertThat(health.read("$.status", String.class)).isEqualTo("UP");
        assertThat(health.read("$.components.pool.components.orders-replica-0.status", String.class)).isEqualTo("UP");
        assertThat(health.read("$.components.pool.components.orders-replica-0.details.usable", Boolean.class)).isFalse();
        assertThat(health.read("$.components.pool.components.orders-replica-0.details.skippedBecause", String.class))
                .contains("replica-max-lag");

        servers.resumeReplay();
        awaitReplicaUsable(context);
        assertThat(reads.inRecoveryReadOnly()).isTrue();
    }

    @Test
    void theEndpointListsBothPoolsAndShowsTheReplicasConnections() throws Exception {
        awaitReplicaUsable(context);
        context.getBean(Reads.class).inRecoveryReadOnly();

        DocumentContext pools = JsonPath.parse(get("/actuator/pool").body());
        assertThat(pools.read("$.pools", Map.class)).containsOnlyKeys("orders", "orders-replica-0");
        HttpResponse<String> replica = get("/actuator/pool/orders-replica-0");
        assertThat(replica.statusCode()).isEqualTo(200);
        assertThat(JsonPath.parse(replica.body()).read("$.total", Integer.class)).isGreaterThanOrEqualTo(1);
        assertThat(JsonPath.parse(replica.body()).read("$.config.url", String.class)).contains(
                String.valueOf(URI.create(servers.standby().jdbcUrl().substring("jdbc:".length())).getPort()));
    }

    @Test
    void healthAndMetricsShowBothPools() throws Exception {
        awaitReplicaUsable(context);

        DocumentContext health = JsonPath.parse(get("/actuator/health").body());
        assertThat(health.read("$.components.pool.components.orders.status", String.class)).isEqualTo("UP");
        assertThat(health.read("$.components.pool.components.orders-replica-0.status", String.class)).isEqualTo("UP");
        assertThat(health.read("$.components.pool.components.orders-replica-0.details.replica", Boolean.class)).isTrue();
        assertThat(health.read("$.components.pool.components.orders-replica-0.details.usable", Boolean.class)).isTrue();

        MeterRegistry meters = context.getBean(MeterRegistry.class);
        assertThat(meters.get("pool.connections.max").tag("pool", "orders").gauge().value()).isEqualTo(10);
        assertThat(meters.get("pool.connections.max").tag("pool", "orders-replica-0").gauge().value()).isEqualTo(10);
        assertThat(JsonPath.parse(get("/actuator/metrics/pool.connections.active").body())
                .read("$.availableTags[?(@.tag == 'pool')].values[*]", java.util.List.class))
                .contains("orders", "orders-replica-0");
    }

    @Test
    void behindAJdbcDecoratorReadsStillGoToTheReplica() throws Exception {
        try (ConfigurableApplicationContext decorated = run(Application.class, Decorator.class)) {
            DataSource dataSource = decorated.getBean(DataSource.class);
            assertThat(dataSource).isInstanceOf(ProxyDataSource.class);
            assertThat(dataSource.unwrap(PoolDataSource.class).getName()).isEqualTo("orders");
            awaitReplicaUsable(decorated);

            assertThat(decorated.getBean(Reads.class).inRecoveryReadOnly()).isTrue();
            assertThat(decorated.getBean(Reads.class).insertInRecovery()).isFalse();
            String port = decorated.getEnvironment().getProperty("local.server.port");
            HttpResponse<String> pools = http.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/actuator/pool")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(JsonPath.parse(pools.body()).read("$.pools", Map.class)).containsOnlyKeys("orders", "orders-replica-0");
        }
    }

    private static void awaitReplicaUsable(ConfigurableApplicationContext context) {
        ReplicaMonitor monitor = context.getBean(ReplicaMonitor.class);
        await().atMost(PrimaryAndStandby.WAIT).until(() -> monitor.replicas().stream().allMatch(monitor::isUsable));
    }

    private HttpResponse<String> get(String path) throws Exception {
        String port = context.getEnvironment().getProperty("local.server.port");
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootApplication
    static class Application {

        @Bean
        Reads reads(JdbcTemplate jdbc) {
            return new Reads(jdbc);
        }
    }

    /** Wraps the DataSource as datasource-proxy's Spring Boot integrations do: a post-processor. */
    @Configuration(proxyBeanMethods = false)
    static class Decorator {

        @Bean
        static BeanPostProcessor proxyDataSourcePostProcessor() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if ("dataSource".equals(beanName) && bean instanceof DataSource dataSource) {
                        return ProxyDataSourceBuilder.create(dataSource).name("decorator").build();
                    }
                    return bean;
                }
            };
        }
    }

    /** An application's service: reads in read-only transactions, a write in a read-write one. */
    public static class Reads {

        private final JdbcTemplate jdbc;

        Reads(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Transactional(readOnly = true)
        public boolean inRecoveryReadOnly() {
            return jdbc.queryForObject("select pg_is_in_recovery()", Boolean.class);
        }

        @Transactional(readOnly = true)
        public int itemsReadOnly() {
            return jdbc.queryForObject("select count(*) from replica_item", Integer.class);
        }

        /** Inserts a row; true if that ran on a standby (it cannot: the insert would fail there). */
        @Transactional
        public boolean insertInRecovery() {
            jdbc.update("insert into replica_item (name) values ('written')");
            return jdbc.queryForObject("select pg_is_in_recovery()", Boolean.class);
        }
    }
}
