package dev.pool.autoconfigure.crac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.pool.PoolConfig;
import dev.pool.PoolDataSource;
import dev.pool.PoolState;
import dev.pool.autoconfigure.PoolAutoConfiguration;
import dev.pool.test.StubDriver;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.Lifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@ExtendWith(OutputCaptureExtension.class)
class PoolCheckpointRestoreAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PoolAutoConfiguration.class, DataSourceAutoConfiguration.class,
                    PoolCheckpointRestoreAutoConfiguration.class));

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
    void registersTheLifecycleWithCracAndAPool() {
        contextRunner.withPropertyValues("pool.url=" + driver.url())
                .run((context) -> assertThat(context).hasSingleBean(PoolCheckpointRestoreLifecycle.class));
    }

    @Test
    void noLifecycleWithoutCrac() {
        contextRunner.withPropertyValues("pool.url=" + driver.url())
                .withClassLoader(new FilteredClassLoader("org.crac"))
                .run((context) -> assertThat(context).doesNotHaveBean(PoolCheckpointRestoreLifecycle.class));
    }

    @Test
    void noLifecycleWithoutADataSource() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PoolAutoConfiguration.class, PoolCheckpointRestoreAutoConfiguration.class))
                .withPropertyValues("pool.enabled=false")
                .run((context) -> assertThat(context).doesNotHaveBean(PoolCheckpointRestoreLifecycle.class));
    }

    @Test
    void backsOffForTheApplicationsOwnLifecycle() {
        contextRunner.withPropertyValues("pool.url=" + driver.url())
                .withUserConfiguration(OwnLifecycleConfiguration.class)
                .run((context) -> assertThat(context).getBeans(PoolCheckpointRestoreLifecycle.class)
                        .containsOnlyKeys("ownLifecycle"));
    }

    @Test
    void stopQuiescesEveryPoolAndStartResumesThem() {
        contextRunner.withUserConfiguration(TwoPoolsConfiguration.class).run((context) -> {
            PoolDataSource orders = context.getBean("orders", PoolDataSource.class);
            PoolDataSource audit = context.getBean("audit", PoolDataSource.class);
            audit.suspend(); // an operator's suspend: the checkpoint needs the pool empty all the same
            Lifecycle lifecycle = context.getBean(PoolCheckpointRestoreLifecycle.class);
            assertThat(TwoPoolsConfiguration.DRIVER.openConnections()).isEqualTo(4);
            assertThat(lifecycle.isRunning()).isTrue();

            lifecycle.stop();

            assertThat(lifecycle.isRunning()).isFalse();
            assertThat(TwoPoolsConfiguration.DRIVER.openConnections()).isZero();
            assertThat(orders.state()).isEqualTo(PoolState.SUSPENDED);
            assertThat(audit.state()).isEqualTo(PoolState.SUSPENDED);

            lifecycle.start();

            assertThat(lifecycle.isRunning()).isTrue();
            assertThat(orders.state()).isEqualTo(PoolState.RUNNING);
            assertThat(audit.state()).isEqualTo(PoolState.RUNNING);
            try (Connection connection = orders.getConnection()) {
                assertThat(connection.isValid(1)).isTrue();
            }
        });
    }

    @Test
    void aPoolNotYetStartedStaysUnstartedAcrossTheCheckpoint() {
        contextRunner.withUserConfiguration(LazyPoolConfiguration.class).run((context) -> {
            PoolDataSource lazy = context.getBean("lazy", PoolDataSource.class);
            Lifecycle lifecycle = context.getBean(PoolCheckpointRestoreLifecycle.class);

            lifecycle.stop();
            assertThat(lazy.isStarted()).isFalse();
            lifecycle.start();

            assertThat(lazy.isStarted()).isFalse();
            assertThat(LazyPoolConfiguration.DRIVER.openConnections()).isZero();
            try (Connection connection = lazy.getConnection()) {
                assertThat(connection.isValid(1)).isTrue();
            }
            assertThat(lazy.state()).isEqualTo(PoolState.RUNNING);
        });
    }

    @Test
    void startFailsForAPoolClosedMeanwhile() {
        contextRunner.withUserConfiguration(TwoPoolsConfiguration.class).run((context) -> {
            Lifecycle lifecycle = context.getBean(PoolCheckpointRestoreLifecycle.class);
            lifecycle.stop();
            context.getBean("audit", PoolDataSource.class).close();

            assertThatIllegalStateException().isThrownBy(lifecycle::start)
                    .withMessage("Pool 'audit' has been closed and cannot be restarted");
        });
    }

    @Test
    void closingTheContextLeavesThePoolsToTheirOwnClose(CapturedOutput output) {
        contextRunner.withPropertyValues("pool.url=" + driver.url(), "pool.initial-size=2").run((context) -> {
            PoolDataSource pool = context.getBean(PoolDataSource.class);
            assertThat(context.getBean(PoolCheckpointRestoreLifecycle.class).isRunning()).isTrue();

            context.close();

            assertThat(pool.isClosed()).isTrue();
            assertThat(driver.openConnections()).isZero();
            assertThat(output).doesNotContain("Quiescing pool");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnLifecycleConfiguration {

        @Bean
        PoolCheckpointRestoreLifecycle ownLifecycle(ListableBeanFactory beanFactory, ConfigurableApplicationContext context) {
            return new PoolCheckpointRestoreLifecycle(beanFactory, context);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class LazyPoolConfiguration {

        static final StubDriver DRIVER = new StubDriver();

        @Bean
        PoolDataSource lazy() {
            PoolDataSource pool = new PoolDataSource();
            pool.setName("lazy");
            pool.setDataSource(DRIVER.dataSource());
            pool.setInitialSize(2);
            return pool;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoPoolsConfiguration {

        static final StubDriver DRIVER = new StubDriver();

        @Bean
        PoolDataSource orders() {
            return pool("orders");
        }

        @Bean
        PoolDataSource audit() {
            return pool("audit");
        }

        private static PoolDataSource pool(String name) {
            PoolConfig config = new PoolConfig();
            config.setName(name);
            config.setDataSource(DRIVER.dataSource());
            config.setInitialSize(2);
            return new PoolDataSource(config);
        }
    }
}
