package dev.pool.autoconfigure.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pool.PoolDataSource;
import dev.pool.WaitBudget;
import dev.pool.autoconfigure.PoolAutoConfiguration;
import dev.pool.test.EmbeddedPostgresExtension;
import dev.pool.test.TestDatabase;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizationAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.interceptor.TransactionInterceptor;

/**
 * A transaction's timeout bounds the wait for its connection, on a real PostgreSQL: the pool has one
 * connection, the test holds it, and the pool's own wait ({@code connection-wait-timeout} 20s) would be
 * far longer than the transaction's. The timeout message names the wait the caller was given and what
 * set it, so the tests read which bound applied from it rather than from a clock.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class PoolTransactionAutoConfigurationPostgresTests {

    private static final String BUDGET = "the thread's WaitBudget";

    private static final String POOL_WAIT = "connection-wait-timeout";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PoolAutoConfiguration.class, DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
                    TransactionAutoConfiguration.class, TransactionManagerCustomizationAutoConfiguration.class,
                    PoolTransactionAutoConfiguration.class))
            .withUserConfiguration(Services.class);

    private ApplicationContextRunner onPostgres(TestDatabase database) {
        return contextRunner.withPropertyValues("pool.url=" + database.jdbcUrl("pool-transaction-timeout-test"),
                "pool.username=" + database.username(), "pool.password=" + database.password(), "pool.max-size=1",
                "pool.connection-wait-timeout=20s", "pool.early-rejection=false");
    }

    @Test
    void transactionTimeoutBoundsTheWaitForItsConnection(TestDatabase database) {
        onPostgres(database).run((context) -> {
            Orders orders = context.getBean(Orders.class);
            assertWaitedAtMost(whileOneConnectionIsHeld(context, orders::countWithinOneSecond), 1000, BUDGET);
        });
    }

    @Test
    void requiresNewInsideATransactionIsBoundedByItsOwnTimeout(TestDatabase database) {
        onPostgres(database).withPropertyValues("pool.max-size=2").run((context) -> {
            Reports reports = context.getBean(Reports.class);
            // The outer transaction takes the second connection, its REQUIRES_NEW call finds none.
            assertWaitedAtMost(whileOneConnectionIsHeld(context, reports::reportInNewTransaction), 1000, BUDGET);
        });
    }

    @Test
    void defaultTimeoutOfSpringTransactionsBoundsTheWait(TestDatabase database) {
        onPostgres(database).withPropertyValues("spring.transaction.default-timeout=2").run((context) -> {
            Orders orders = context.getBean(Orders.class);
            assertWaitedAtMost(whileOneConnectionIsHeld(context, orders::count), 2000, BUDGET);
        });
    }

    @Test
    void transactionWithoutTimeoutWaitsThePoolsWait(TestDatabase database) {
        onPostgres(database).withPropertyValues("pool.connection-wait-timeout=1500ms").run((context) -> {
            Orders orders = context.getBean(Orders.class);
            assertWaitedAtMost(whileOneConnectionIsHeld(context, orders::count), 1500, POOL_WAIT);
        });
    }

    @Test
    void turnedOffThePoolsWaitApplies(TestDatabase database) {
        onPostgres(database).withPropertyValues("pool.connection-wait-timeout=1500ms",
                "pool.transaction-timeout-bounds-wait=false").run((context) -> {
            assertThat(context).doesNotHaveBean(TransactionTimeoutWaitAdvisor.class);
            Orders orders = context.getBean(Orders.class);
            assertWaitedAtMost(whileOneConnectionIsHeld(context, orders::countWithinOneSecond), 1500, POOL_WAIT);
        });
    }

    @Test
    void aMethodThatJoinsATransactionKeepsTheOuterDeadline(TestDatabase database) {
        onPostgres(database).run((context) -> {
            Orders orders = context.getBean(Orders.class);
            Reports reports = context.getBean(Reports.class);
            assertThat(orders.budgetWithinOneSecond()).as("a new transaction's budget").isNotEqualTo(Long.MIN_VALUE);
            assertThat(reports.budgetInJoinedTransaction()).as("joined: Spring ignores its timeout").isEqualTo(Long.MIN_VALUE);
            assertThat(WaitBudget.deadlineNanos()).as("closed with the call").isEqualTo(Long.MIN_VALUE);
        });
    }

    @Test
    void adviceRunsOutsideTheTransactionInterceptor(TestDatabase database) {
        onPostgres(database).run((context) -> {
            List<Class<?>> advice = Arrays.stream(((Advised) context.getBean(Orders.class)).getAdvisors())
                    .map(Advisor::getAdvice).<Class<?>>map(Object::getClass).toList();
            int budget = advice.indexOf(context.getBean(TransactionTimeoutWaitAdvisor.class).getAdvice().getClass());
            assertThat(budget).isNotNegative().isLessThan(advice.indexOf(TransactionInterceptor.class));
        });
    }

    /**
     * Runs {@code call} while another thread holds one of the pool's connections (held on the calling
     * thread it would be a pool deadlock, which the pool reports at once); the timeout's message.
     */
    private static String whileOneConnectionIsHeld(AssertableApplicationContext context, Runnable call)
            throws Exception {
        PoolDataSource pool = context.getBean(PoolDataSource.class);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService holder = Executors.newSingleThreadExecutor();
        try {
            Future<?> holding = holder.submit(() -> {
                try (Connection connection = pool.getConnection()) {
                    held.countDown();
                    release.await();
                }
                return null;
            });
            assertThat(held.await(30, TimeUnit.SECONDS)).as("holder has its connection").isTrue();
            CannotCreateTransactionException failure = assertThrows(CannotCreateTransactionException.class, call::run);
            release.countDown();
            holding.get(30, TimeUnit.SECONDS);
            Throwable cause = failure.getRootCause();
            assertThat(cause).isInstanceOf(SQLTransientConnectionException.class);
            return cause.getMessage();
        } finally {
            release.countDown();
            holder.shutdownNow();
        }
    }

    /** The wait a timeout's message says the caller was given, and what set it. */
    private static void assertWaitedAtMost(String message, long millis, String limit) {
        Matcher wait = Pattern.compile("within (\\d+) ms \\(([^)]*)\\)").matcher(message);
        assertThat(wait.find()).as(message).isTrue();
        assertThat(Long.parseLong(wait.group(1))).as(message).isLessThanOrEqualTo(millis);
        assertThat(wait.group(2)).as(message).isEqualTo(limit);
    }

    @Configuration(proxyBeanMethods = false)
    static class Services {

        @Bean
        Orders orders(JdbcTemplate jdbcTemplate) {
            return new Orders(jdbcTemplate);
        }

        @Bean
        Reports reports(Orders orders) {
            return new Reports(orders);
        }
    }

    static class Reports {

        private final Orders orders;

        Reports(Orders orders) {
            this.orders = orders;
        }

        @Transactional
        public long budgetInJoinedTransaction() {
            return orders.budgetWithinOneSecond();
        }

        /** Holds a connection in its own transaction (no timeout) and asks for another in a new one. */
        @Transactional
        public int reportInNewTransaction() {
            return orders.countInNewTransaction();
        }
    }

    static class Orders {

        private final JdbcTemplate jdbcTemplate;

        Orders(JdbcTemplate jdbcTemplate) {
            this.jdbcTemplate = jdbcTemplate;
        }

        @Transactional(timeout = 1)
        public int countWithinOneSecond() {
            return count();
        }

        @Transactional(timeout = 1)
        public long budgetWithinOneSecond() {
            return WaitBudget.deadlineNanos();
        }

        @Transactional
        public int count() {
            return jdbcTemplate.queryForObject("select count(*) from pg_class where relname = 'no_such_table'", Integer.class);
        }

        @Transactional(propagation = Propagation.REQUIRES_NEW, timeout = 1)
        public int countInNewTransaction() {
            return count();
        }
    }
}
