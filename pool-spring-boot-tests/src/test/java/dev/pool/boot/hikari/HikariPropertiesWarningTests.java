package dev.pool.boot.hikari;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.PoolDataSource;
import dev.pool.boot.TestPostgres;
import dev.pool.test.EmbeddedPostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An application that swapped HikariCP for the starter but kept its {@code spring.datasource.hikari.*}
 * settings: they do not reach the pool, and one WARN says what to set instead.
 */
@ExtendWith({ EmbeddedPostgresExtension.class, OutputCaptureExtension.class })
class HikariPropertiesWarningTests {

    private static final String WARNING = "spring.datasource.hikari.* is set";

    @Test
    void oneWarningNamesThePoolPropertiesToSetInstead(CapturedOutput output) {
        try (ConfigurableApplicationContext context = run("spring.datasource.hikari.maximum-pool-size=20",
                "spring.datasource.hikari.connection-timeout=2000", "spring.datasource.hikari.allow-pool-suspension=true",
                "spring.datasource.hikari.data-source-properties.ApplicationName=hikari")) {
            assertThat(context.getBean(PoolDataSource.class).getMaxSize()).as("not applied").isEqualTo(10);
        }
        assertThat(output.getOut().lines().filter((line) -> line.contains(WARNING))).singleElement().satisfies((line) -> {
            assertThat(line).contains("WARN");
            assertThat(line).contains("spring.datasource.hikari.maximum-pool-size -> pool.max-size");
            assertThat(line).contains("spring.datasource.hikari.connection-timeout -> pool.connection-wait-timeout");
            assertThat(line).contains("spring.datasource.hikari.data-source-properties -> pool.data-source-properties");
            assertThat(line).contains("spring.datasource.hikari.allow-pool-suspension -> no equivalent needed");
        });
    }

    @Test
    void noWarningWithoutThem(CapturedOutput output) {
        try (ConfigurableApplicationContext context = run()) {
            assertThat(context.getBean(PoolDataSource.class)).isNotNull();
        }
        assertThat(output.getOut()).doesNotContain(WARNING);
    }

    private static ConfigurableApplicationContext run(String... properties) {
        return new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
                .properties(TestPostgres.properties("hikari-warning-test")).properties(properties).run();
    }

    @SpringBootApplication
    static class Application {
    }
}
