package dev.pool.autoconfigure.crac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pool.PoolDataSource;
import dev.pool.PoolState;
import dev.pool.autoconfigure.PoolAutoConfiguration;
import dev.pool.test.EmbeddedPostgresExtension;
import dev.pool.test.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * A checkpoint and a restore as Spring runs them, seen from a real PostgreSQL. With a CRaC JVM,
 * Spring's lifecycle processor registers itself with {@code org.crac}, which calls it before the
 * checkpoint ({@code stopForRestart}: every running {@code Lifecycle} stopped) and after the
 * restore ({@code restartAfterStop}: those started again). No CRaC JVM here, so the tests make
 * those two calls themselves; they are package-private in Spring, hence the reflection.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class PoolCheckpointRestorePostgresTests {

    private final TestDatabase database;
    private final String applicationName;
    private final ApplicationContextRunner contextRunner;

    PoolCheckpointRestorePostgresTests(TestDatabase database, TestInfo test) {
        this.database = database;
        this.applicationName = "pool-crac-" + test.getTestMethod().orElseThrow().getName().hashCode();
        this.contextRunner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PoolAutoConfiguration.class, DataSourceAutoConfiguration.class,
                        JdbcTemplateAutoConfiguration.class, PoolCheckpointRestoreAutoConfiguration.class))
                .withPropertyValues("pool.url=" + database.jdbcUrl(applicationName), "pool.username=" + database.username(),
                        "pool.password=" + database.password(), "pool.initial-size=2", "pool.min-idle=2",
                        "pool.shutdown-timeout=30s");
    }

    @Test
    void checkpointLeavesNoBackendAndRestoreServesAgain() {
        contextRunner.run((context) -> {
            PoolDataSource pool = context.getBean(PoolDataSource.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("select 1", Integer.class)).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> database.backendCount(applicationName) >= 2);

            beforeCheckpoint(context);

            assertThat(pool.state()).isEqualTo(PoolState.SUSPENDED);
            assertThat(pool.stats().total()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> database.backendCount(applicationName) == 0);
            // min-idle is 2 and the housekeeper runs every 250 ms: it must open nothing while stopped
            long created = pool.stats().created();
            await().during(Duration.ofMillis(750)).atMost(Duration.ofSeconds(10))
                    .until(() -> database.backendCount(applicationName) == 0 && pool.stats().created() == created);

            afterRestore(context);

            assertThat(pool.state()).isEqualTo(PoolState.RUNNING);
            assertThat(jdbc.queryForObject("select 2", Integer.class)).isEqualTo(2);
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().idle() >= 2
                    && database.backendCount(applicationName) == pool.stats().total());
        });
    }

    @Test
    void checkpointWaitsForABorrowedConnection() {
        contextRunner.run((context) -> {
            PoolDataSource pool = context.getBean(PoolDataSource.class);
            Connection held = pool.getConnection();

            CompletableFuture<Void> checkpoint = CompletableFuture.runAsync(() -> beforeCheckpoint(context));
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.state() == PoolState.SUSPENDED && pool.stats().idle() == 0);
            assertThat(checkpoint).isNotDone();
            assertThat(held.isValid(5)).isTrue(); // its borrower is not cut off
            await().atMost(Duration.ofSeconds(10)).until(() -> database.backendCount(applicationName) == 1);
            held.close();

            checkpoint.get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> database.backendCount(applicationName) == 0);
            afterRestore(context);
            try (Connection connection = pool.getConnection()) {
                assertThat(connection.isValid(5)).isTrue();
            }
        });
    }

    /** What {@code org.crac} makes Spring do before a checkpoint. */
    private static void beforeCheckpoint(ApplicationContext context) {
        ReflectionTestUtils.invokeMethod(lifecycleProcessor(context), "stopForRestart");
    }

    /** What {@code org.crac} makes Spring do after a restore. */
    private static void afterRestore(ApplicationContext context) {
        ReflectionTestUtils.invokeMethod(lifecycleProcessor(context), "restartAfterStop");
    }

    private static Object lifecycleProcessor(ApplicationContext context) {
        return context.getBean(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME);
    }
}
