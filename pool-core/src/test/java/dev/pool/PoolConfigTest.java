package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PoolConfigTest {

    @Test
    void defaultsMatchTheSpec() {
        PoolConfig c = new PoolConfig();
        assertThat(c.getName()).isEqualTo("pool");
        assertThat(c.getInitialSize()).isZero();
        assertThat(c.getMinSize()).isZero();
        assertThat(c.getMinIdle()).isZero();
        assertThat(c.getMaxIdle()).isNull();
        assertThat(c.effectiveMaxIdle()).isEqualTo(10);
        assertThat(c.getMaxSize()).isEqualTo(10);
        assertThat(c.getConnectionWaitTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.getConnectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.getMaxIdleTime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.getMaxReuseTime()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.getMaxReuseCount()).isZero();
        assertThat(c.getAbandonedConnectionTimeout()).isZero();
        assertThat(c.getLeakDetectionThreshold()).isZero();
        assertThat(c.getValidationTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.getValidationQuery()).isNull();
        assertThat(c.getValidationInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.getKeepaliveInterval()).isZero();
        assertThat(c.isInitializationFailFast()).isTrue();
        assertThat(c.getAutoCommit()).isNull();
        assertThat(c.getReadOnly()).isNull();
        assertThat(c.getTransactionIsolation()).isNull();
        assertThat(c.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.isRegisterMbeans()).isFalse();
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                invalid("pool.initial-size", "-1", c -> c.setInitialSize(-1)),
                invalid("pool.min-size", "-1", c -> c.setMinSize(-1)),
                invalid("pool.min-idle", "-2", c -> c.setMinIdle(-2)),
                invalid("pool.max-size", "-1", c -> c.setMaxSize(-1)),
                invalid("pool.max-reuse-count", "-5", c -> c.setMaxReuseCount(-5)),
                invalid("pool.min-size", "11", c -> c.setMinSize(11)),
                invalid("pool.min-idle", "11", c -> c.setMinIdle(11)),
                invalid("pool.min-idle", "3", c -> {
                    c.setMinIdle(3);
                    c.setMaxIdle(2);
                }),
                invalid("pool.connection-wait-timeout", "PT-1S", c -> c.setConnectionWaitTimeout(Duration.ofSeconds(-1))),
                invalid("pool.connect-timeout", "PT-0.001S", c -> c.setConnectTimeout(Duration.ofMillis(-1))),
                invalid("pool.max-idle-time", "null", c -> c.setMaxIdleTime(null)),
                invalid("pool.max-reuse-time", "PT-1M", c -> c.setMaxReuseTime(Duration.ofMinutes(-1))),
                invalid("pool.abandoned-connection-timeout", "PT-1S", c -> c.setAbandonedConnectionTimeout(Duration.ofSeconds(-1))),
                invalid("pool.leak-detection-threshold", "PT-1S", c -> c.setLeakDetectionThreshold(Duration.ofSeconds(-1))),
                invalid("pool.validation-timeout", "PT-1S", c -> c.setValidationTimeout(Duration.ofSeconds(-1))),
                invalid("pool.validation-interval", "PT-1S", c -> c.setValidationInterval(Duration.ofSeconds(-1))),
                invalid("pool.keepalive-interval", "PT-1S", c -> c.setKeepaliveInterval(Duration.ofSeconds(-1))),
                invalid("pool.shutdown-timeout", "PT-1S", c -> c.setShutdownTimeout(Duration.ofSeconds(-1))),
                invalid("pool.name", " ", c -> c.setName(" ")),
                invalid("pool.url", "null", c -> c.setUrl(null)));
    }

    private static Arguments invalid(String property, String value, Consumer<PoolConfig> change) {
        return Arguments.of(property, value, change);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidValues")
    void rejectsInvalidValueNamingPropertyValueAndRule(String property, String value, Consumer<PoolConfig> change) {
        PoolConfig config = new PoolConfig();
        config.setUrl("jdbc:stub:test");
        change.accept(config);

        assertThatThrownBy(config::validate)
                .isInstanceOfSatisfying(PoolConfigException.class, e -> {
                    assertThat(e.property()).isEqualTo(property);
                    assertThat(e.value()).isEqualTo(value);
                    assertThat(e.rule()).isNotBlank();
                })
                .hasMessageStartingWith(property + " = " + value + " is invalid: ");
    }

    @Test
    void acceptsInitialSizeAboveMaxSize() {
        PoolConfig config = new PoolConfig();
        config.setUrl("jdbc:stub:test");
        config.setInitialSize(50);
        config.validate();
    }

    @Test
    void connectionPropertiesCarryCredentialsAndDataSourceProperties() {
        PoolConfig config = new PoolConfig();
        config.setUsername("app");
        config.setPassword("secret");
        config.getDataSourceProperties().put("ApplicationName", "orders");

        assertThat(config.connectionProperties())
                .containsEntry("user", "app")
                .containsEntry("password", "secret")
                .containsEntry("ApplicationName", "orders");
    }
}
