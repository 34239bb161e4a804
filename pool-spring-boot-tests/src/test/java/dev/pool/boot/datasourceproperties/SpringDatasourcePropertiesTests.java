package dev.pool.boot.datasourceproperties;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.PoolDataSource;
import dev.pool.boot.TestPostgres;
import dev.pool.test.EmbeddedPostgresExtension;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * {@code spring.datasource.type} and {@code spring.datasource.name} on the starter, as Boot
 * honours them for its own pools: the type naming the pool keeps the pool, naming another class
 * makes the starter back off for Boot to build that class, and the name names the pool.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class SpringDatasourcePropertiesTests {

    @Test
    void typeNamingThePoolKeepsTheStartersPool() {
        try (ConfigurableApplicationContext context = run("spring.datasource.type=dev.pool.PoolDataSource",
                "pool.max-size=4")) {
            assertThat(context.getBean(DataSource.class)).isInstanceOfSatisfying(PoolDataSource.class, (pool) -> {
                assertThat(pool.getName()).isEqualTo("pool");
                assertThat(pool.getMaxSize()).as("pool.* applies").isEqualTo(4);
            });
            assertThat(query(context)).isEqualTo("type-test");
        }
    }

    @Test
    void typeNamingAnotherClassMakesTheStarterBackOff() {
        try (ConfigurableApplicationContext context = run(
                "spring.datasource.type=org.springframework.jdbc.datasource.SimpleDriverDataSource")) {
            assertThat(context.getBean(DataSource.class)).isInstanceOf(SimpleDriverDataSource.class);
            assertThat(context.getBeansOfType(PoolDataSource.class)).isEmpty();
            assertThat(query(context)).isEqualTo("type-test");
        }
    }

    /** With the starter off, Boot's own generic configuration builds the pool with {@code DataSourceBuilder}. */
    @Test
    void bootBuildsThePoolItselfFromTheType() {
        PoolDataSource pool;
        try (ConfigurableApplicationContext context = run("pool.enabled=false",
                "spring.datasource.type=dev.pool.PoolDataSource")) {
            pool = (PoolDataSource) context.getBean(DataSource.class);
            BeanDefinition definition = context.getBeanFactory().getBeanDefinition("dataSource");
            assertThat(((AnnotatedBeanDefinition) definition).getFactoryMethodMetadata().getDeclaringClassName())
                    .isEqualTo("org.springframework.boot.jdbc.autoconfigure.DataSourceConfiguration$Generic");
            assertThat(pool.getUrl()).isEqualTo(TestPostgres.database().jdbcUrl("type-test"));
            assertThat(query(context)).isEqualTo("type-test");
            assertThat(pool.isStarted()).isTrue();
        }
        assertThat(pool.isClosed()).isTrue();
    }

    @Test
    void nameNamesThePool() {
        try (ConfigurableApplicationContext context = run("spring.datasource.name=orders")) {
            assertThat(context.getBean(PoolDataSource.class).getName()).isEqualTo("orders");
        }
    }

    @Test
    void poolNameWinsOverTheDataSourceName() {
        try (ConfigurableApplicationContext context = run("spring.datasource.name=orders", "pool.name=inventory")) {
            assertThat(context.getBean(PoolDataSource.class).getName()).isEqualTo("inventory");
        }
    }

    private static ConfigurableApplicationContext run(String... properties) {
        return new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
                .properties(TestPostgres.properties("type-test")).properties(properties).run();
    }

    private static String query(ConfigurableApplicationContext context) {
        return context.getBean(JdbcTemplate.class).queryForObject("select current_setting('application_name')",
                String.class);
    }

    @SpringBootApplication
    static class Application {
    }
}
