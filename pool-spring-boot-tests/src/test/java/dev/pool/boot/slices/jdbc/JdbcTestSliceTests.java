package dev.pool.boot.slices.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.PoolDataSource;
import dev.pool.boot.TestPostgres;
import dev.pool.test.EmbeddedPostgresExtension;
import dev.pool.test.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase.Replace;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code @JdbcTest} on the real database runs on the pool, as production does. */
@JdbcTest(properties = "pool.name=jdbc-slice")
@AutoConfigureTestDatabase(replace = Replace.NONE)
@ExtendWith(EmbeddedPostgresExtension.class)
class JdbcTestSliceTests {

    private static final String APPLICATION_NAME = "jdbc-slice-test";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, APPLICATION_NAME);
    }

    @Autowired
    private DataSource dataSource;

    @Autowired
    private JdbcTemplate jdbcTemplate;

    @Test
    void theDataSourceIsThePool(TestDatabase database) {
        assertThat(dataSource).isInstanceOfSatisfying(PoolDataSource.class,
                (pool) -> assertThat(pool.getName()).isEqualTo("jdbc-slice"));
        assertThat(jdbcTemplate.queryForObject("select current_setting('application_name')", String.class))
                .isEqualTo(APPLICATION_NAME);
        assertThat(database.backendCount(APPLICATION_NAME)).isEqualTo(((PoolDataSource) dataSource).stats().total());
    }

    @SpringBootApplication
    static class Application {
    }
}
