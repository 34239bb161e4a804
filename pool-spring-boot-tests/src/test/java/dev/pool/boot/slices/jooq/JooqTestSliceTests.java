package dev.pool.boot.slices.jooq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.PoolDataSource;
import dev.pool.boot.TestPostgres;
import dev.pool.test.EmbeddedPostgresExtension;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.jooq.test.autoconfigure.JooqTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code @JooqTest} (which never replaces the DataSource) runs jOOQ on the pool. */
@JooqTest(properties = "pool.name=jooq-slice")
@ExtendWith(EmbeddedPostgresExtension.class)
class JooqTestSliceTests {

    private static final String APPLICATION_NAME = "jooq-slice-test";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, APPLICATION_NAME);
    }

    @Autowired
    private DataSource dataSource;

    @Autowired
    private DSLContext dsl;

    @Test
    void jooqRunsOnThePool() {
        assertThat(dataSource).isInstanceOfSatisfying(PoolDataSource.class,
                (pool) -> assertThat(pool.getName()).isEqualTo("jooq-slice"));

        assertThat(dsl.fetchValue("select current_setting('application_name')")).isEqualTo(APPLICATION_NAME);
        assertThat(((PoolDataSource) dataSource).stats().active()).as("the test's transaction holds one").isEqualTo(1);
    }

    @SpringBootApplication
    static class Application {
    }
}
