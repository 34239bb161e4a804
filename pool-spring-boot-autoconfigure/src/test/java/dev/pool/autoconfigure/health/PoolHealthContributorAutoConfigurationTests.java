package dev.pool.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.PoolConfig;
import dev.pool.PoolDataSource;
import dev.pool.autoconfigure.PoolAutoConfiguration;
import dev.pool.test.StubDriver;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class PoolHealthContributorAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PoolAutoConfiguration.class, DataSourceAutoConfiguration.class,
                    PoolHealthContributorAutoConfiguration.class));

    @Test
    void oneIndicatorForTheOnePool() {
        contextRunner.withUserConfiguration(OnePoolConfiguration.class).run((context) -> {
            assertThat(context).hasBean("poolHealthContributor");
            HealthContributor contributor = context.getBean("poolHealthContributor", HealthContributor.class);
            assertThat(contributor).isInstanceOf(PoolHealthIndicator.class);
            assertThat(((PoolHealthIndicator) contributor).health().getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void oneIndicatorPerPoolNamedByPoolName() {
        contextRunner.withUserConfiguration(TwoPoolsConfiguration.class).run((context) -> {
            HealthContributor contributor = context.getBean("poolHealthContributor", HealthContributor.class);
            assertThat(contributor).isInstanceOf(CompositeHealthContributor.class);
            assertThat(names((CompositeHealthContributor) contributor)).containsExactlyInAnyOrder("orders", "audit");
            assertThat(((CompositeHealthContributor) contributor).getContributor("orders"))
                    .isInstanceOf(PoolHealthIndicator.class);
        });
    }

    @Test
    void emptyWhenNoDataSourceIsAPool() {
        contextRunner.withUserConfiguration(PlainDataSourceConfiguration.class).run((context) -> {
            HealthContributor contributor = context.getBean("poolHealthContributor", HealthContributor.class);
            assertThat(names((CompositeHealthContributor) contributor)).isEmpty();
        });
    }

    @Test
    void backsOffWhenDisabled() {
        contextRunner.withUserConfiguration(OnePoolConfiguration.class)
                .withPropertyValues("management.health.pool.enabled=false")
                .run((context) -> assertThat(context).doesNotHaveBean("poolHealthContributor"));
    }

    @Test
    void backsOffWhenAllDefaultIndicatorsAreDisabled() {
        contextRunner.withUserConfiguration(OnePoolConfiguration.class)
                .withPropertyValues("management.health.defaults.enabled=false")
                .run((context) -> assertThat(context).doesNotHaveBean("poolHealthContributor"));
    }

    @Test
    void backsOffWithoutBootsHealthSupport() {
        contextRunner.withUserConfiguration(OnePoolConfiguration.class)
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
                .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("poolHealthContributor"));
    }

    @Test
    void userDefinedContributorWins() {
        contextRunner.withUserConfiguration(OnePoolConfiguration.class, UserHealthConfiguration.class)
                .run((context) -> assertThat(context.getBean("poolHealthIndicator"))
                        .isSameAs(UserHealthConfiguration.INDICATOR)
                        .satisfies((bean) -> assertThat(context).doesNotHaveBean("poolHealthContributor")));
    }

    private static Set<String> names(HealthContributors contributors) {
        return contributors.stream().map(HealthContributors.Entry::name).collect(Collectors.toSet());
    }

    static PoolDataSource stubPool(String name) {
        PoolConfig config = new PoolConfig();
        config.setName(name);
        config.setDataSource(new StubDriver().dataSource());
        return new PoolDataSource(config);
    }

    @Configuration(proxyBeanMethods = false)
    static class OnePoolConfiguration {

        @Bean(destroyMethod = "close")
        DataSource dataSource() {
            return stubPool("orders");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoPoolsConfiguration {

        @Bean(destroyMethod = "close")
        PoolDataSource orders() {
            return stubPool("orders");
        }

        @Bean(destroyMethod = "close")
        PoolDataSource audit() {
            return stubPool("audit");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PlainDataSourceConfiguration {

        @Bean
        DataSource dataSource() {
            return new StubDriver().dataSource();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserHealthConfiguration {

        static final HealthIndicator INDICATOR = () -> Health.up().build();

        @Bean
        HealthContributor poolHealthIndicator() {
            return INDICATOR;
        }
    }
}
