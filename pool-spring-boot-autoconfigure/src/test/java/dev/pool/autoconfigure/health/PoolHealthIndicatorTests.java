package dev.pool.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pool.PoolConfig;
import dev.pool.PoolDataSource;
import dev.pool.PoolState;
import dev.pool.test.StubDriver;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class PoolHealthIndicatorTests {

    private final StubDriver driver = new StubDriver();
    private PoolDataSource pool;

    @AfterEach
    void closePool() {
        driver.clearConnectFailure();
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void upWithCountsAsDetails() throws Exception {
        pool(c -> {
            c.setInitialSize(2);
            c.setMaxSize(5);
        });

        try (Connection borrowed = pool.getConnection()) {
            Health health = new PoolHealthIndicator(pool).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("state", PoolState.RUNNING)
                    .containsEntry("active", 1)
                    .containsEntry("idle", 1)
                    .containsEntry("pending", 0)
                    .containsEntry("max", 5)
                    .doesNotContainKey("error");
        }
    }

    @Test
    void downWithTheConnectErrorWhenThePoolCannotConnectAndHasNoneIdle() {
        driver.failConnects("08001");
        pool(c -> c.setMinIdle(1)); // so the pool keeps trying in the background
        PoolHealthIndicator indicator = new PoolHealthIndicator(pool);

        await().atMost(Duration.ofSeconds(5)).until(() -> pool.getLastConnectError() != null);
        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("idle", 0).containsEntry("sqlState", "08001");
        assertThat(health.getDetails().get("error")).asString().startsWith(SQLException.class.getName() + ": ");

        driver.clearConnectFailure();
        await().atMost(Duration.ofSeconds(10)).until(() -> indicator.health().getStatus().equals(Status.UP));
        assertThat(indicator.health().getDetails()).doesNotContainKeys("error", "sqlState");
    }

    @Test
    void upWhileIdleConnectionsRemainThoughConnectsFail() throws Exception {
        pool(c -> {
            c.setInitialSize(2);
            c.setMinIdle(2);
        });
        driver.failConnects("08001");

        try (Connection borrowed = pool.getConnection()) {
            // the pool tries to top the idle connections up to min-idle again, and fails
            await().atMost(Duration.ofSeconds(5)).until(() -> pool.getLastConnectError() != null);

            Health health = new PoolHealthIndicator(pool).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("idle", 1);
        }
    }

    @Test
    void errorHidesPasswordsInUrlsTheDriverQuotes() {
        driver.onConnect((attempt) -> {
            throw new SQLException("Cannot reach jdbc:postgresql://app:hunter2@db:5432/app", "08001");
        });
        pool(c -> c.setMinIdle(1));

        await().atMost(Duration.ofSeconds(5)).until(() -> pool.getLastConnectError() != null);

        assertThat(new PoolHealthIndicator(pool).health().getDetails().get("error")).asString()
                .contains("jdbc:postgresql://app:******@db:5432/app")
                .doesNotContain("hunter2");
    }

    @Test
    void downWhenClosed() {
        pool(c -> { });
        pool.close();

        Health health = new PoolHealthIndicator(pool).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("state", PoolState.CLOSED);
    }

    private void pool(Consumer<PoolConfig> settings) {
        PoolConfig config = new PoolConfig();
        config.setName("orders");
        config.setDataSource(driver.dataSource());
        config.setShutdownTimeout(Duration.ZERO);
        settings.accept(config);
        pool = new PoolDataSource(config);
    }
}
