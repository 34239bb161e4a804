package dev.pool.boot.flyway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.PoolDataSource;
import dev.pool.boot.TestPostgres;
import dev.pool.test.EmbeddedPostgresExtension;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Flyway migrating as a user of its own ({@code spring.flyway.user}): Boot derives Flyway's data
 * source from the pool with {@code DataSourceBuilder.derivedFrom}, which reads the pool's URL and
 * driver through its JavaBean getters. The application itself runs on the pool as its own user.
 */
@SpringBootTest(properties = { "spring.flyway.enabled=true", "spring.flyway.user=flyway_owner",
        "spring.flyway.password=flyway_owner", "spring.flyway.schemas=flyway_owned",
        "spring.flyway.locations=classpath:dev/pool/boot/flyway" })
@ExtendWith(EmbeddedPostgresExtension.class)
class FlywayOwnUserTests {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, "flyway-own-user-test");
        TestPostgres.createRole("flyway_owner");
        TestPostgres.execute("drop schema if exists flyway_owned cascade",
                "create schema flyway_owned authorization flyway_owner");
    }

    @Autowired
    private DataSource dataSource;

    @Autowired
    private Flyway flyway;

    @Autowired
    private JdbcTemplate jdbcTemplate;

    @Test
    void migratesAsItsOwnUserWhileTheApplicationUsesThePool() {
        assertThat(dataSource).isInstanceOf(PoolDataSource.class);
        assertThat(flyway.getConfiguration().getDataSource()).isNotSameAs(dataSource);

        assertThat(jdbcTemplate.queryForObject(
                "select tableowner from pg_tables where schemaname = 'flyway_owned' and tablename = 'flyway_item'",
                String.class)).isEqualTo("flyway_owner");
        assertThat(jdbcTemplate.queryForObject("select created_by from flyway_owned.flyway_item", String.class))
                .isEqualTo("flyway_owner");
        assertThat(jdbcTemplate.queryForObject("select current_user", String.class))
                .isEqualTo(TestPostgres.database().username());
    }

    @SpringBootApplication
    static class Application {
    }
}
