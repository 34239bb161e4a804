package dev.pool.boot.sqlinit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.PoolDataSource;
import dev.pool.boot.TestPostgres;
import dev.pool.test.EmbeddedPostgresExtension;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Boot's SQL initialization running its scripts as a user of its own
 * ({@code spring.sql.init.username} and {@code password}): Boot derives the script data source from
 * the pool with {@code DataSourceBuilder.derivedFrom}.
 */
@SpringBootTest(properties = { "spring.sql.init.mode=always", "spring.sql.init.username=init_owner",
        "spring.sql.init.password=init_owner",
        "spring.sql.init.schema-locations=classpath:dev/pool/boot/sqlinit/schema.sql" })
@ExtendWith(EmbeddedPostgresExtension.class)
class SqlInitOwnUserTests {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, "sql-init-own-user-test");
        TestPostgres.createRole("init_owner");
        TestPostgres.execute("drop schema if exists sql_init_owned cascade",
                "create schema sql_init_owned authorization init_owner");
    }

    @Autowired
    private DataSource dataSource;

    @Autowired
    private JdbcTemplate jdbcTemplate;

    @Test
    void runsTheScriptsAsItsOwnUserWhileTheApplicationUsesThePool() {
        assertThat(dataSource).isInstanceOf(PoolDataSource.class);
        assertThat(jdbcTemplate.queryForObject(
                "select tableowner from pg_tables where schemaname = 'sql_init_owned' and tablename = 'init_item'",
                String.class)).isEqualTo("init_owner");
        assertThat(jdbcTemplate.queryForObject("select created_by from sql_init_owned.init_item", String.class))
                .isEqualTo("init_owner");
        assertThat(jdbcTemplate.queryForObject("select current_user", String.class))
                .isEqualTo(TestPostgres.database().username());
    }

    @SpringBootApplication
    static class Application {
    }
}
