package dev.pool.boot.lazy;

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
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code spring.datasource.connection-fetch=lazy}: the DataSource becomes Spring's
 * {@link LazyConnectionDataSourceProxy} around the pool, as Boot does for its own pools, so a
 * transaction borrows a connection only once it runs SQL. Metrics still find the pool, and the
 * pool still closes with the application.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class LazyConnectionFetchTests {

    private static final String APPLICATION_NAME = "lazy-fetch-test";

    @Test
    void aTransactionBorrowsOnlyWhenItRunsSql(TestDatabase database) {
        PoolDataSource pool;
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
                .web(WebApplicationType.NONE).properties(TestPostgres.properties(APPLICATION_NAME))
                .properties("spring.datasource.connection-fetch=lazy", "pool.initial-size=1").run()) {
            DataSource dataSource = context.getBean(DataSource.class);
            assertThat(dataSource).isInstanceOf(LazyConnectionDataSourceProxy.class);
            pool = (PoolDataSource) ((LazyConnectionDataSourceProxy) dataSource).getTargetDataSource();
            TransactionTemplate transactions = context.getBean(TransactionTemplate.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            long borrowed = pool.stats().borrowed();

            transactions.executeWithoutResult((status) -> { });
            assertThat(pool.stats().borrowed()).as("no SQL, no borrow").isEqualTo(borrowed);

            transactions.executeWithoutResult((status) -> jdbc.queryForObject("select 1", Integer.class));
            assertThat(pool.stats().borrowed()).isEqualTo(borrowed + 1);

            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get("pool.connections.max").tag("pool", "pool").gauge().value()).isEqualTo(10);
            assertThat(meters.get("jdbc.connections.max").tag("name", "dataSource").gauge().value()).isEqualTo(10);
        }
        assertThat(pool.isClosed()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> database.backendCount(APPLICATION_NAME) == 0);
    }

    @SpringBootApplication
    static class Application {
    }
}
