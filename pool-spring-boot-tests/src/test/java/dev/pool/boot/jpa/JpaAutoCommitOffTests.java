package dev.pool.boot.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pool.PoolDataSource;
import dev.pool.boot.TestPostgres;
import dev.pool.test.EmbeddedPostgresExtension;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A JPA application with {@code pool.auto-commit=false}: Hibernate is told that the pool hands out
 * connections with auto-commit off (so it skips switching it per transaction), and transactions
 * still commit and roll back as they should, leaving no transaction open on a returned connection.
 */
@SpringBootTest(properties = { "pool.auto-commit=false", "spring.jpa.hibernate.ddl-auto=create" })
@ExtendWith(EmbeddedPostgresExtension.class)
class JpaAutoCommitOffTests {

    private static final String APPLICATION_NAME = "jpa-auto-commit-off-test";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, APPLICATION_NAME);
    }

    @Autowired
    private PoolDataSource pool;

    @Autowired
    private EntityManagerFactory entityManagerFactory;

    @Autowired
    private OrderRepository orders;

    @Autowired
    private TransactionTemplate transactions;

    @Test
    void hibernateKnowsThePoolDisablesAutoCommit() throws SQLException {
        assertThat(entityManagerFactory.getProperties())
                .containsEntry("hibernate.connection.provider_disables_autocommit", "true");
        try (Connection connection = pool.getConnection()) {
            assertThat(connection.getAutoCommit()).isFalse();
        }
    }

    @Test
    void aCommittedTransactionIsSeenByOtherConnections() {
        transactions.executeWithoutResult((status) -> orders.save(new Order("committed")));

        assertThat(new JdbcTemplate(TestPostgres.database().unpooledDataSource())
                .queryForObject("select count(*) from jpa_order where item = 'committed'", Long.class)).isEqualTo(1);
        assertThat(pool.stats().active()).isZero();
        assertThat(transactionsLeftOpen()).isZero();
    }

    @Test
    void aFailedTransactionLeavesNothing() {
        assertThatThrownBy(() -> transactions.executeWithoutResult((status) -> {
            orders.saveAndFlush(new Order("rolled-back"));
            throw new IllegalStateException("the business rule says no");
        })).hasMessage("the business rule says no");

        assertThat(orders.countByItem("rolled-back")).isZero();
        assertThat(pool.stats().active()).isZero();
        assertThat(transactionsLeftOpen()).isZero();
    }

    /** This application's backends sitting in a transaction nobody ended. */
    private static long transactionsLeftOpen() {
        return new JdbcTemplate(TestPostgres.database().unpooledDataSource()).queryForObject(
                "select count(*) from pg_stat_activity where application_name = ? and state like 'idle in transaction%'",
                Long.class, APPLICATION_NAME);
    }

    @SpringBootApplication
    static class Application {
    }
}
