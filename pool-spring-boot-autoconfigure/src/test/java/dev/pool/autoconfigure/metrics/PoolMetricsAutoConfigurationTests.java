package dev.pool.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.PoolConfig;
import dev.pool.PoolDataSource;
import dev.pool.autoconfigure.PoolAutoConfiguration;
import dev.pool.test.StubDriver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DelegatingDataSource;

class PoolMetricsAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PoolAutoConfiguration.class, DataSourceAutoConfiguration.class,
                    MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, DataSourcePoolMetricsAutoConfiguration.class,
                    PoolMetricsAutoConfiguration.class));

    private StubDriver driver;

    @BeforeEach
    void registerStubDriver() throws SQLException {
        driver = new StubDriver().register();
    }

    @AfterEach
    void deregisterStubDriver() {
        driver.deregister();
    }

    @Test
    void bindsTheAutoConfiguredPool() {
        contextRunner.withPropertyValues("pool.url=" + driver.url(), "pool.name=orders", "pool.max-size=4")
                .run((context) -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    PoolDataSource pool = context.getBean(PoolDataSource.class);
                    try (Connection borrowed = pool.getConnection()) {
                        assertThat(registry.get("pool.connections.active").tag("pool", "orders").gauge().value())
                                .isEqualTo(1);
                    }
                    assertThat(registry.get("pool.connections.max").tag("pool", "orders").gauge().value()).isEqualTo(4);
                    assertThat(registry.get("pool.connections.acquire").tag("pool", "orders").timer().count())
                            .isEqualTo(1);
                    assertThat(registry.get("pool.connections.usage").tag("pool", "orders").timer().count())
                            .isEqualTo(1);
                });
    }

    @Test
    void publishesTheOpenTelemetryNamesOnlyWhenAskedTo() {
        contextRunner.withPropertyValues("pool.url=" + driver.url(), "pool.name=orders", "pool.max-size=4")
                .run((context) -> assertThat(context.getBean(MeterRegistry.class).find("db.client.connection.max").meters())
                        .isEmpty());
        contextRunner.withPropertyValues("pool.url=" + driver.url(), "pool.name=orders", "pool.max-size=4",
                "pool.metrics.otel-names=true").run((context) -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    try (Connection borrowed = context.getBean(PoolDataSource.class).getConnection()) {
                        assertThat(registry.get("db.client.connection.count")
                                .tags("db.client.connection.pool.name", "orders", "db.client.connection.state", "used")
                                .gauge().value()).isEqualTo(1);
                    }
                    assertThat(registry.get("db.client.connection.max").tag("db.client.connection.pool.name", "orders")
                            .gauge().value()).isEqualTo(4);
                    assertThat(registry.get("db.client.connection.use_time").tag("db.client.connection.pool.name", "orders")
                            .timer().count()).isEqualTo(1);
                    assertThat(registry.get("pool.connections.max").tag("pool", "orders").gauge().value()).isEqualTo(4);
                });
    }

    @Test
    void keepsBootsOwnJdbcConnectionMetrics() {
        contextRunner.withPropertyValues("pool.url=" + driver.url(), "pool.max-size=4").run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            try (Connection borrowed = context.getBean(PoolDataSource.class).getConnection()) {
                assertThat(registry.get("jdbc.connections.active").tag("name", "dataSource").gauge().value())
                        .isEqualTo(1);
            }
            assertThat(registry.get("jdbc.connections.max").tag("name", "dataSource").gauge().value()).isEqualTo(4);
        });
    }

    @Test
    void bindsEveryPoolOnceWhateverItsBeanType() {
        contextRunner.withUserConfiguration(TwoPoolsConfiguration.class).run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("pool.connections.total").gauges()).extracting((g) -> g.getId().getTag("pool"))
                    .containsExactlyInAnyOrder("orders", "audit");
            context.getBean("orders", DataSource.class).getConnection().close();
            // reached directly and through the wrapper, the pool still has one listener feeding its timer
            assertThat(registry.get("pool.connections.acquire").tag("pool", "orders").timer().count()).isEqualTo(1);
        });
    }

    @Test
    void bindsToAUserDefinedRegistry() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PoolAutoConfiguration.class,
                        DataSourceAutoConfiguration.class, MetricsAutoConfiguration.class,
                        PoolMetricsAutoConfiguration.class))
                .withUserConfiguration(UserRegistryConfiguration.class)
                .withPropertyValues("pool.url=" + driver.url())
                .run((context) -> assertThat(UserRegistryConfiguration.REGISTRY.find("pool.connections.active")
                        .tag("pool", "pool").gauge()).isNotNull());
    }

    @Test
    void backsOffWithoutMicrometer() {
        contextRunner.withPropertyValues("pool.url=" + driver.url())
                .withClassLoader(new FilteredClassLoader("io.micrometer"))
                .run((context) -> assertThat(context).hasNotFailed()
                        .hasSingleBean(PoolDataSource.class)
                        .doesNotHaveBean("poolMeterBinder"));
    }

    @Test
    void backsOffWithoutAMeterRegistry() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PoolAutoConfiguration.class,
                        DataSourceAutoConfiguration.class, PoolMetricsAutoConfiguration.class))
                .withPropertyValues("pool.url=" + driver.url())
                .run((context) -> assertThat(context).hasSingleBean(PoolDataSource.class)
                        .doesNotHaveBean("poolMeterBinder"));
    }

    @Test
    void backsOffWithoutADataSource() {
        contextRunner.withPropertyValues("pool.enabled=false")
                .withClassLoader(new FilteredClassLoader("org.h2", "org.hsqldb", "org.apache.derby"))
                .run((context) -> assertThat(context).doesNotHaveBean("poolMeterBinder"));
    }

    static PoolDataSource stubPool(String name) {
        PoolConfig config = new PoolConfig();
        config.setName(name);
        config.setDataSource(new StubDriver().dataSource());
        return new PoolDataSource(config);
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoPoolsConfiguration {

        @Bean(destroyMethod = "close")
        PoolDataSource orders() {
            return stubPool("orders");
        }

        @Bean
        DataSource ordersWrapper(PoolDataSource orders) {
            return new DelegatingDataSource(orders);
        }

        @Bean(destroyMethod = "close")
        DataSource audit() {
            return stubPool("audit");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserRegistryConfiguration {

        static final MeterRegistry REGISTRY = new SimpleMeterRegistry();

        @Bean
        MeterRegistry meterRegistry() {
            return REGISTRY;
        }
    }
}
