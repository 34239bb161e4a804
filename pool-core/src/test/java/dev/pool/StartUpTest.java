package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Opening {@code initial-size} at start-up: each connect is bounded by {@code connect-timeout} and
 * nothing else, however many rounds of parallel connects it takes; {@code connect-timeout} 0 means
 * no limit at all. The stub driver's connect delay stands in for a slow database.
 */
class StartUpTest {

    @RegisterExtension
    final StubPools pools = new StubPools();

    @Test
    void withoutAConnectTimeoutStartUpWaitsForASlowConnect() {
        pools.driver.setConnectDelay(Duration.ofMillis(1500));
        PoolDataSource pool = pools.create(c -> {
            c.setInitialSize(1);
            c.setConnectTimeout(Duration.ZERO);
        });
        assertThat(pool.stats().idle()).isEqualTo(1);
    }

    @Test
    void everyRoundOfInitialConnectsGetsTheWholeConnectTimeout() {
        // 17 connects, 8 at a time: three rounds of 1 s each, every connect well within its 2 s
        pools.driver.setConnectDelay(Duration.ofSeconds(1));
        PoolDataSource pool = pools.create(c -> {
            c.setInitialSize(17);
            c.setMaxSize(17);
            c.setConnectTimeout(Duration.ofSeconds(2));
        });
        assertThat(pool.stats().idle()).isEqualTo(17);
    }

    @Test
    void aDataSourceThatReturnsNoConnectionFailsStartUpNamingIt() {
        DataSource nothing = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "toString" -> "NullDataSource";
                    case "hashCode" -> 0;
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
        assertThatThrownBy(() -> pools.create(c -> {
            c.setDataSource(nothing);
            c.setInitialSize(1);
        })).isInstanceOf(PoolInitializationException.class)
                .hasMessageContaining("returned no connection")
                .hasMessageContaining(nothing.getClass().getName())
                .hasRootCauseInstanceOf(java.sql.SQLException.class);
    }
}
