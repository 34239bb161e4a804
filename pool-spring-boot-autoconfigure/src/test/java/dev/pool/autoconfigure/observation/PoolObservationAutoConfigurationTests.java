package dev.pool.autoconfigure.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pool.PoolDataSource;
import dev.pool.autoconfigure.PoolAutoConfiguration;
import dev.pool.test.OtherThread;
import dev.pool.test.StubDriver;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class PoolObservationAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PoolAutoConfiguration.class, DataSourceAutoConfiguration.class,
                    PoolObservationAutoConfiguration.class));

    private StubDriver driver;

    @BeforeEach
    void registerStubDriver() throws SQLException {
        driver = new StubDriver().register();
    }

    @AfterEach
    void deregisterStubDriver() {
        driver.deregister();
    }

    @Test
    void observesAWaitThatTimesOutWithTheOutcome() {
        contextRunner.withUserConfiguration(TestObservationRegistryConfiguration.class)
                .withPropertyValues("pool.url=" + driver.url(), "pool.name=orders", "pool.max-size=1",
                        "pool.initial-size=1", "pool.connection-wait-timeout=100ms")
                .run((context) -> {
                    TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
                    PoolDataSource pool = context.getBean(PoolDataSource.class);
                    try (Connection held = pool.getConnection()) {
                        assertThatThrownBy(() -> OtherThread.getConnection(pool))
                                .isInstanceOf(SQLTransientConnectionException.class);
                    }
                    TestObservationRegistryAssert.assertThat(registry)
                            .hasNumberOfObservationsWithNameEqualTo("pool.connection.acquire", 1)
                            .hasObservationWithNameEqualTo("pool.connection.acquire").that()
                            .hasLowCardinalityKeyValue("pool", "orders")
                            .hasLowCardinalityKeyValue("outcome", "timeout")
                            .hasBeenStopped();
                });
    }

    @Test
    void leavesABorrowThatFindsAnIdleConnectionUnobserved() {
        contextRunner.withUserConfiguration(TestObservationRegistryConfiguration.class)
                .withPropertyValues("pool.url=" + driver.url(), "pool.initial-size=1")
                .run((context) -> {
                    context.getBean(PoolDataSource.class).getConnection().close();
                    TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
                            .doesNotHaveAnyObservation();
                });
    }

    @Test
    void backsOffWithoutAnObservationRegistry() {
        contextRunner.withPropertyValues("pool.url=" + driver.url())
                .run((context) -> assertThat(context)
                        .doesNotHaveBean(PoolObservationAutoConfiguration.PoolObservationRegistrar.class));
    }

    @Test
    void backsOffWithoutMicrometerObservation() {
        contextRunner.withUserConfiguration(TestObservationRegistryConfiguration.class)
                .withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
                .withPropertyValues("pool.url=" + driver.url())
                .run((context) -> assertThat(context)
                        .doesNotHaveBean(PoolObservationAutoConfiguration.PoolObservationRegistrar.class));
    }

    @Test
    void takesItsListenerOffThePoolWhenTheContextCloses() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        PoolDataSource[] pool = new PoolDataSource[1];
        contextRunner.withBean(TestObservationRegistry.class, () -> registry)
                .withBean(PoolDataSource.class, () -> {
                    PoolDataSource p = new PoolDataSource();
                    p.setUrl(driver.url());
                    p.setMaxSize(1);
                    p.setInitialSize(1);
                    p.setConnectionWaitTimeout(java.time.Duration.ofMillis(50));
                    pool[0] = p;
                    return p;
                }, (definition) -> definition.setDestroyMethodName(""))
                .run((context) -> assertThat(context).hasSingleBean(PoolObservationAutoConfiguration.PoolObservationRegistrar.class));
        try (Connection held = pool[0].getConnection()) {
            assertThatThrownBy(pool[0]::getConnection).isInstanceOf(SQLTransientConnectionException.class);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } finally {
            pool[0].close();
        }
        TestObservationRegistryAssert.assertThat(registry).doesNotHaveAnyObservation();
    }

    @Configuration(proxyBeanMethods = false)
    static class TestObservationRegistryConfiguration {

        @Bean
        TestObservationRegistry observationRegistry() {
            return TestObservationRegistry.create();
        }
    }
}
