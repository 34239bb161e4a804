package dev.pool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.PoolDataSource;
import dev.pool.test.EmbeddedPostgresExtension;
import dev.pool.test.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/** The starter's promise end to end: a Boot application on a real PostgreSQL, through the pool. */
@SpringBootTest(properties = { "pool.name=postgres-test", "pool.initial-size=2" })
@ExtendWith(EmbeddedPostgresExtension.class)
class PoolAutoConfigurationPostgresTests {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase database = EmbeddedPostgresExtension.database();
        registry.add("pool.url", () -> database.jdbcUrl("pool-autoconfigure-test"));
        registry.add("pool.username", database::username);
        registry.add("pool.password", database::password);
    }

    @Autowired
    private DataSource dataSource;

    @Autowired
    private JdbcTemplate jdbcTemplate;

    @Autowired
    private TransactionTemplate transactionTemplate;

    @Test
    void dataSourceIsThePool() {
        assertThat(dataSource).isInstanceOf(PoolDataSource.class);
        assertThat(((PoolDataSource) dataSource).getName()).isEqualTo("postgres-test");
        assertThat(((PoolDataSource) dataSource).stats().created()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void jdbcTemplateQueriesPostgresThroughThePool(TestDatabase database) {
        String applicationName = jdbcTemplate.queryForObject("select current_setting('application_name')", String.class);
        assertThat(applicationName).isEqualTo("pool-autoconfigure-test");
        assertThat(database.backendCount("pool-autoconfigure-test"))
                .isEqualTo(((PoolDataSource) dataSource).stats().total());
    }

    @Test
    void transactionRollsBackOnThePool() {
        jdbcTemplate.execute("create table if not exists rollback_check (id int)");
        transactionTemplate.executeWithoutResult((status) -> {
            jdbcTemplate.update("insert into rollback_check values (1)");
            status.setRollbackOnly();
        });
        assertThat(jdbcTemplate.queryForObject("select count(*) from rollback_check", Integer.class)).isZero();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
    }
}
