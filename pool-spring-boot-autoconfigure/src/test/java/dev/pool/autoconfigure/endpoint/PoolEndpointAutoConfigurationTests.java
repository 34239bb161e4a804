package dev.pool.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.PoolConfig;
import dev.pool.PoolDataSource;
import dev.pool.autoconfigure.PoolAutoConfiguration;
import dev.pool.test.StubDriver;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DelegatingDataSource;

class PoolEndpointAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PoolAutoConfiguration.class, DataSourceAutoConfiguration.class,
                    PoolEndpointAutoConfiguration.class))
            .withUserConfiguration(TwoPoolsConfiguration.class);

    @Test
    void registersEndpointAndWebExtensionWhenExposedOverHttp() {
        contextRunner.withPropertyValues("management.endpoints.web.exposure.include=pool")
                .run((context) -> assertThat(context).hasSingleBean(PoolEndpoint.class)
                        .hasSingleBean(PoolEndpointWebExtension.class));
    }

    @Test
    void registersOnlyTheEndpointWhenExposedOverJmxOnly() {
        contextRunner.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=pool")
                .run((context) -> assertThat(context).hasSingleBean(PoolEndpoint.class)
                        .doesNotHaveBean(PoolEndpointWebExtension.class));
    }

    @Test
    void backsOffWhenNotExposed() {
        contextRunner.run((context) -> assertThat(context).doesNotHaveBean(PoolEndpoint.class));
    }

    @Test
    void backsOffWithoutActuator() {
        contextRunner.withPropertyValues("management.endpoints.web.exposure.include=pool")
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
                .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("poolEndpoint"));
    }

    @Test
    void showsEveryPoolOnceEvenBehindAWrapper() {
        contextRunner.withPropertyValues("management.endpoints.web.exposure.include=pool")
                .run((context) -> assertThat(context.getBean(PoolEndpoint.class).pools().getPools())
                        .containsOnlyKeys("orders", "audit"));
    }

    @Test
    void showsTheAutoConfiguredPool() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PoolAutoConfiguration.class,
                        DataSourceAutoConfiguration.class, PoolEndpointAutoConfiguration.class))
                .withPropertyValues("management.endpoints.web.exposure.include=pool", "pool.name=main")
                .run((context) -> assertThat(context.getBean(PoolEndpoint.class).names()).containsExactly("main"));
    }

    @Test
    void twoPoolsWithOneNameFailStartUpSayingHowToNameThem() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PoolEndpointAutoConfiguration.class))
                .withUserConfiguration(SameNameConfiguration.class)
                .withPropertyValues("management.endpoints.web.exposure.include=pool")
                .run((context) -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("Two pools are named 'pool'")
                        .hasMessageContaining("pool.name")
                        .hasMessageContaining("PoolDataSource.setName"));
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

        /** Declared as a plain DataSource, as applications often do. */
        @Bean(destroyMethod = "close")
        DataSource audit() {
            return stubPool("audit");
        }

        @Bean
        DataSource ordersWrapper(PoolDataSource orders) {
            return new DelegatingDataSource(orders);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SameNameConfiguration {

        @Bean(destroyMethod = "close")
        PoolDataSource first() {
            return stubPool("pool");
        }

        @Bean(destroyMethod = "close")
        PoolDataSource second() {
            return stubPool("pool");
        }
    }
}
