package dev.pool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.PoolConfig;
import dev.pool.PoolConfigException;
import dev.pool.PoolDataSource;
import dev.pool.ReplicaMonitor;
import dev.pool.test.StubDriver;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;

/**
 * {@code pool.replicas[n].*}: a pool per replica beside the primary's, and the {@code dataSource}
 * bean a {@link LazyConnectionDataSourceProxy} routing read-only work to them; without replicas,
 * nothing changes. What the routing does on real servers is in {@code ReplicaRoutingPostgresTest}
 * (pool-core) and {@code ReadReplicaTests} (pool-spring-boot-tests).
 */
class PoolReplicasAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PoolAutoConfiguration.class, DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class));

    private StubDriver primary;
    private StubDriver replica0;
    private StubDriver replica1;

    @BeforeEach
    void registerStubDrivers() throws SQLException {
        primary = new StubDriver().register();
        replica0 = new StubDriver().register();
        replica1 = new StubDriver().register();
    }

    @AfterEach
    void deregisterStubDrivers() {
        primary.deregister();
        replica0.deregister();
        replica1.deregister();
    }

    @Test
    void withoutReplicasTheDataSourceIsThePlainPool() {
        contextRunner.withPropertyValues("pool.url=" + primary.url()).run((context) -> {
            assertThat(context.getBean(DataSource.class)).isInstanceOf(PoolDataSource.class);
            assertThat(context).doesNotHaveBean(ReplicaMonitor.class);
            assertThat(context).doesNotHaveBean(PoolReplicasRegistrar.MONITOR_BEAN_NAME);
            assertThat(PoolDataSources.byName(context.getBeanFactory())).containsOnlyKeys("pool");
        });
    }

    @Test
    void eachReplicaGetsAPoolWithThePrimarysSettingsAndTheGuardOff() {
        contextRunner.withPropertyValues("pool.name=orders", "pool.url=" + primary.url(), "pool.username=app",
                "pool.password=secret", "pool.max-size=7", "pool.connection-wait-timeout=3s",
                "pool.replicas[0].url=" + replica0.url(),
                "pool.replicas[1].url=" + replica1.url(), "pool.replicas[1].username=reader").run((context) -> {
                    assertThat(context).hasNotFailed();
                    Map<String, PoolDataSource> pools = PoolDataSources.byName(context.getBeanFactory());
                    assertThat(pools).containsOnlyKeys("orders", "orders-replica-0", "orders-replica-1");

                    PoolConfig first = pools.get("orders-replica-0").getConfig();
                    assertThat(first.getUrl()).isEqualTo(replica0.url());
                    assertThat(first.getUsername()).isEqualTo("app");
                    assertThat(first.getPassword()).isEqualTo("secret");
                    assertThat(first.getMaxSize()).isEqualTo(7);
                    assertThat(first.getConnectionWaitTimeout()).hasSeconds(3);
                    assertThat(first.isPrimaryRoleGuard()).isFalse();
                    assertThat(first.isInitializationFailFast()).isFalse();

                    PoolConfig second = pools.get("orders-replica-1").getConfig();
                    assertThat(second.getUrl()).isEqualTo(replica1.url());
                    assertThat(second.getUsername()).isEqualTo("reader");
                    assertThat(second.getPassword()).isEqualTo("secret");

                    assertThat(pools.get("orders").getConfig().isPrimaryRoleGuard()).isTrue();
                });
    }

    @Test
    void theDataSourceRoutesReadOnlyConnectionsAndEverythingElseUsesIt() {
        contextRunner.withPropertyValues("pool.url=" + primary.url(), "pool.replicas[0].url=" + replica0.url())
                .run((context) -> {
                    // the replicas are no default candidates: a DataSource injection point gets the router
                    DataSource dataSource = context.getBean(DataSource.class);
                    assertThat(dataSource).isSameAs(context.getBean("dataSource"));
                    assertThat(dataSource).isInstanceOf(LazyConnectionDataSourceProxy.class);
                    assertThat(((LazyConnectionDataSourceProxy) dataSource).getTargetDataSource())
                            .isSameAs(PoolDataSources.byName(context.getBeanFactory()).get("pool"));
                    assertThat(PoolDataSources.unwrap(dataSource).getName()).isEqualTo("pool");
                    assertThat(context.getBean(JdbcTemplate.class).getDataSource()).isSameAs(dataSource);
                    assertThat(context.getBean(ReplicaMonitor.class).replicas()).extracting(PoolDataSource::getName)
                            .containsExactly("pool-replica-0");
                });
    }

    @Test
    void replicaMaxLagDefaultsToTenSecondsAndBinds() {
        contextRunner.withPropertyValues("pool.url=" + primary.url()).run((context) ->
                assertThat(context.getBean(PoolProperties.class).getReplicaMaxLag()).hasSeconds(10));
        contextRunner.withPropertyValues("pool.url=" + primary.url(), "pool.replica-max-lag=500ms").run((context) ->
                assertThat(context.getBean(PoolProperties.class).getReplicaMaxLag()).hasMillis(500));
    }

    @Test
    void theReplicaPoolsCloseWithTheContext() {
        PoolDataSource[] replica = new PoolDataSource[1];
        contextRunner.withPropertyValues("pool.url=" + primary.url(), "pool.replicas[0].url=" + replica0.url())
                .run((context) -> replica[0] = PoolDataSources.byName(context.getBeanFactory()).get("pool-replica-0"));
        assertThat(replica[0].isClosed()).isTrue();
    }

    @Test
    void aReplicaWithoutUrlFailsStartUpNamingTheProperty() {
        contextRunner.withPropertyValues("pool.url=" + primary.url(), "pool.replicas[0].username=reader")
                .run((context) -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(PoolConfigException.class).hasMessageContaining("pool.replicas[0].url"));
    }

    @Test
    void aNegativeReplicaMaxLagFailsStartUpNamingTheProperty() {
        contextRunner.withPropertyValues("pool.url=" + primary.url(), "pool.replicas[0].url=" + replica0.url(),
                "pool.replica-max-lag=-1s").run((context) -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(PoolConfigException.class).hasMessageContaining("pool.replica-max-lag"));
    }
}
