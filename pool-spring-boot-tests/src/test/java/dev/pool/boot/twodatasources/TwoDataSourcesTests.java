package dev.pool.boot.twodatasources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pool.PoolDataSource;
import dev.pool.boot.TestPostgres;
import dev.pool.test.EmbeddedPostgresExtension;
import dev.pool.test.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Boot's how-to recipes for data sources of your own, with the pool as the type: "Configure Two
 * DataSources" (a second pool beside the auto-configured one), "Configure a Custom DataSource"
 * (the only one, bound from {@code app.datasource}), and {@code DataSourceBuilder.derivedFrom}.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class TwoDataSourcesTests {

    @Test
    void aSecondPoolBesideTheAutoConfiguredOne(TestDatabase database) {
        try (ConfigurableApplicationContext context = run(TwoDataSourcesApplication.class,
                "app.datasource.url=" + database.jdbcUrl("two-ds-second"),
                "app.datasource.username=" + database.username(), "app.datasource.password=" + database.password(),
                "app.datasource.configuration.max-size=3", "app.datasource.configuration.connection-wait-timeout=5s")) {
            PoolDataSource first = (PoolDataSource) context.getBean(DataSource.class);
            PoolDataSource second = context.getBean("secondDataSource", PoolDataSource.class);

            assertThat(first.getName()).isEqualTo("pool");
            assertThat(second.getName()).as("named after its bean").isEqualTo("secondDataSource");
            assertThat(second.getMaxSize()).isEqualTo(3);
            assertThat(second.getConnectionWaitTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(second.isStarted()).isFalse();

            assertThat(context.getBean(JdbcTemplate.class).queryForObject("select current_setting('application_name')",
                    String.class)).isEqualTo("two-ds-first");
            assertThat(new JdbcTemplate(second).queryForObject("select current_setting('application_name')",
                    String.class)).isEqualTo("two-ds-second");
            assertThat(second.isStarted()).isTrue();

            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get("pool.connections.max").tag("pool", "pool").gauge().value()).isEqualTo(10);
            assertThat(meters.get("pool.connections.max").tag("pool", "secondDataSource").gauge().value()).isEqualTo(3);

            context.close();
            assertThat(first.isClosed()).isTrue();
            assertThat(second.isClosed()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> database.backendCount("two-ds-first")
                    + database.backendCount("two-ds-second") == 0);
        }
    }

    @Test
    void aCustomPoolBoundFromItsOwnProperties(TestDatabase database) {
        try (ConfigurableApplicationContext context = run(CustomDataSourceApplication.class,
                "app.datasource.url=" + database.jdbcUrl("custom-ds"), "app.datasource.username=" + database.username(),
                "app.datasource.password=" + database.password(), "app.datasource.max-size=4")) {
            PoolDataSource pool = (PoolDataSource) context.getBean(DataSource.class);

            assertThat(context.getBeansOfType(DataSource.class)).containsOnlyKeys("dataSource");
            assertThat(pool.getName()).isEqualTo("dataSource");
            assertThat(pool.getMaxSize()).isEqualTo(4);
            assertThat(context.getBean(JdbcTemplate.class).queryForObject("select current_setting('application_name')",
                    String.class)).isEqualTo("custom-ds");

            context.close();
            assertThat(pool.isClosed()).isTrue();
        }
    }

    @Test
    void aPoolDerivedFromAnotherForAnotherUser(TestDatabase database) {
        TestPostgres.createRole("derived_user");
        try (ConfigurableApplicationContext context = run(CustomDataSourceApplication.class,
                "app.datasource.url=" + database.jdbcUrl("derived-ds"), "app.datasource.username=" + database.username(),
                "app.datasource.password=" + database.password())) {
            DataSource pool = context.getBean(DataSource.class);

            DataSource derived = DataSourceBuilder.derivedFrom(pool).username("derived_user").password("derived_user")
                    .build();

            assertThat(derived).isInstanceOfSatisfying(PoolDataSource.class, (derivedPool) -> {
                assertThat(derivedPool.getUrl()).isEqualTo(database.jdbcUrl("derived-ds"));
                assertThat(derivedPool.getDriverClassName()).isEqualTo("org.postgresql.Driver");
                try {
                    assertThat(new JdbcTemplate(derivedPool).queryForObject("select current_user", String.class))
                            .isEqualTo("derived_user");
                } finally {
                    derivedPool.close();
                }
            });
        }
    }

    private static ConfigurableApplicationContext run(Class<?> application, String... properties) {
        return new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
                .properties(TestPostgres.properties("two-ds-first")).properties(properties).run();
    }

    /** Boot's "Configure Two DataSources": the second one is no default candidate, so the first stays auto-configured. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class TwoDataSourcesApplication {

        @Qualifier("second")
        @Bean(defaultCandidate = false)
        @ConfigurationProperties("app.datasource")
        DataSourceProperties secondDataSourceProperties() {
            return new DataSourceProperties();
        }

        @Qualifier("second")
        @Bean(defaultCandidate = false)
        @ConfigurationProperties("app.datasource.configuration")
        PoolDataSource secondDataSource(@Qualifier("second") DataSourceProperties secondDataSourceProperties) {
            return secondDataSourceProperties.initializeDataSourceBuilder().type(PoolDataSource.class).build();
        }
    }

    /** Boot's "Configure a Custom DataSource", the pool bound directly from {@code app.datasource}. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class CustomDataSourceApplication {

        @Bean
        @ConfigurationProperties("app.datasource")
        PoolDataSource dataSource() {
            return DataSourceBuilder.create().type(PoolDataSource.class).build();
        }
    }
}
