package dev.pool.boot.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.PoolDataSource;
import dev.pool.boot.TestPostgres;
import dev.pool.test.EmbeddedPostgresExtension;
import javax.sql.DataSource;
import liquibase.integration.spring.SpringLiquibase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Liquibase migrating as a user of its own ({@code spring.liquibase.user}): Boot derives
 * Liquibase's data source from the pool with {@code DataSourceBuilder.derivedFrom}.
 */
@SpringBootTest(properties = { "spring.liquibase.enabled=true", "spring.liquibase.user=liquibase_owner",
        "spring.liquibase.password=liquibase_owner", "spring.liquibase.default-schema=liquibase_owned",
        "spring.liquibase.change-log=classpath:dev/pool/boot/liquibase/changelog.yaml" })
@ExtendWith(EmbeddedPostgresExtension.class)
class LiquibaseOwnUserTests {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, "liquibase-own-user-test");
        TestPostgres.createRole("liquibase_owner");
        TestPostgres.execute("drop schema if exists liquibase_owned cascade",
                "create schema liquibase_owned authorization liquibase_owner");
    }

    @Autowired
    private DataSource dataSource;

    @Autowired
    private SpringLiquibase liquibase;

    @Autowired
    private JdbcTemplate jdbcTemplate;

    @Test
    void migratesAsItsOwnUserWhileTheApplicationUsesThePool() {
        assertThat(dataSource).isInstanceOf(PoolDataSource.class);
        assertThat(liquibase.getDataSource()).isNotSameAs(dataSource);

        assertThat(jdbcTemplate.queryForObject(
                "select tableowner from pg_tables where schemaname = 'liquibase_owned' and tablename = 'liquibase_item'",
                String.class)).isEqualTo("liquibase_owner");
        assertThat(jdbcTemplate.queryForObject("select created_by from liquibase_owned.liquibase_item", String.class))
                .isEqualTo("liquibase_owner");
        assertThat(jdbcTemplate.queryForObject("select current_user", String.class))
                .isEqualTo(TestPostgres.database().username());
    }

    @SpringBootApplication
    static class Application {
    }
}
