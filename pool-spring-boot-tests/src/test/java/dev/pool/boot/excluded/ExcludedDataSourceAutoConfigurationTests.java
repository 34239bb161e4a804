package dev.pool.boot.excluded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.PoolDataSource;
import dev.pool.autoconfigure.PoolAutoConfiguration;
import dev.pool.boot.TestPostgres;
import dev.pool.test.EmbeddedPostgresExtension;
import jakarta.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport.ConditionAndOutcomes;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A JPA application that excludes Boot's {@link DataSourceAutoConfiguration}, the usual way to say
 * "no database here" (a web test without one, a service that reaches its data another way): as on
 * HikariCP it gets no DataSource, so JPA and its repositories back off and the application starts,
 * even with a database configured.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class ExcludedDataSourceAutoConfigurationTests {

    @Test
    void excludedOnTheApplicationClassNoDataSourceAndJpaBacksOff() {
        // no spring.datasource.url and no embedded database: a pool here would fail start-up for want of pool.url
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ExcludingApplication.class)
                .web(WebApplicationType.NONE).run()) {
            assertNoDataSource(context);
        }
    }

    @Test
    void excludedByPropertyNoDataSourceEvenWithADatabaseConfigured() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
                .web(WebApplicationType.NONE).properties(TestPostgres.properties("excluded-test"))
                .properties("spring.autoconfigure.exclude=" + DataSourceAutoConfiguration.class.getName()).run()) {
            assertNoDataSource(context);
        }
    }

    private static void assertNoDataSource(ConfigurableApplicationContext context) {
        assertThat(context.getBeansOfType(DataSource.class)).isEmpty();
        assertThat(context.getBeansOfType(PoolDataSource.class)).isEmpty();
        assertThat(context.getBeansOfType(EntityManagerFactory.class)).isEmpty();
        assertThat(context.getBeansOfType(CustomerRepository.class)).isEmpty();
        ConditionAndOutcomes outcomes = ConditionEvaluationReport.get(context.getBeanFactory())
                .getConditionAndOutcomesBySource().get(PoolAutoConfiguration.class.getName() + "$PoolDataSourceConfiguration");
        assertThat(outcomes).anySatisfy((outcome) -> assertThat(outcome.getOutcome().getMessage())
                .contains(DataSourceAutoConfiguration.class.getName() + " is excluded"));
    }

    /** As {@code @SpringBootApplication(exclude = ...)}, without the component scan that would find the other one. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration(exclude = DataSourceAutoConfiguration.class)
    static class ExcludingApplication {
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {
    }
}
