package dev.pool.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.Credentials;
import dev.pool.CredentialsProvider;
import dev.pool.IsolationLevel;
import dev.pool.PoolConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PoolConfigEntriesTests {

    @Test
    void showsEveryPropertyUnderItsKebabCaseName() {
        PoolConfig config = new PoolConfig();
        config.setUrl("jdbc:postgresql://db/app");
        config.setUsername("app");
        config.setPassword("secret");
        config.setDriverClassName("org.postgresql.Driver");
        config.setDataSourceProperties(Map.of("ApplicationName", "orders"));
        config.setMaxIdle(4);
        config.setValidationQuery("select 1");
        config.setAutoCommit(false);
        config.setReadOnly(true);
        config.setTransactionIsolation(IsolationLevel.READ_COMMITTED);
        config.setCatalog("app");
        config.setSchema("orders");
        config.setConnectionInitSql("set timezone to 'UTC'");

        Map<String, Object> entries = PoolConfigEntries.of(config);

        assertThat(entries).containsOnlyKeys("name", "url", "username", "password", "driver-class-name",
                "data-source-properties", "initial-size", "min-size", "min-idle", "max-idle", "max-size",
                "connection-wait-timeout", "connect-timeout", "max-idle-time", "max-reuse-time", "max-reuse-count",
                "max-pending", "early-rejection",
                "abandoned-connection-timeout", "leak-detection-threshold", "validation-timeout", "validation-query",
                "validation-interval", "keepalive-interval", "initialization-fail-fast", "primary-role-guard", "auto-commit", "read-only",
                "transaction-isolation", "catalog", "schema", "connection-init-sql", "shutdown-timeout",
                "register-mbeans");
        assertThat(entries).containsEntry("connection-wait-timeout", "30s")
                .containsEntry("max-idle-time", "10m")
                .containsEntry("max-reuse-time", "30m")
                .containsEntry("abandoned-connection-timeout", "0s")
                .containsEntry("max-size", 10)
                .containsEntry("transaction-isolation", "READ_COMMITTED")
                .containsEntry("initialization-fail-fast", true)
                .containsEntry("primary-role-guard", true);
    }

    @Test
    void showsTheSizesARunningPoolHasNow() {
        PoolConfig config = new PoolConfig();
        config.setMinIdle(1);
        config.setMaxSize(10);

        Map<String, Object> entries = PoolConfigEntries.of(config, 3, 6);

        assertThat(entries).containsEntry("min-idle", 3).containsEntry("max-size", 6).containsEntry("min-size", 0);
        assertThat(entries.keySet()).containsExactlyElementsOf(PoolConfigEntries.of(config).keySet());
    }

    @Test
    void leavesOutUnsetPropertiesAndNamesAGivenDataSourceByClassOnly() {
        PoolConfig config = new PoolConfig();
        config.setDataSource(new dev.pool.test.StubDriver().dataSource());

        Map<String, Object> entries = PoolConfigEntries.of(config);

        assertThat(entries).doesNotContainKeys("url", "username", "password", "validation-query", "max-idle",
                "data-source-properties");
        assertThat(entries).containsEntry("data-source", "dev.pool.test.StubDataSource");
    }

    @Test
    void namesACredentialsProviderByClassOnly() {
        PoolConfig config = new PoolConfig();
        config.setUrl("jdbc:postgresql://db/app");
        config.setUsername("app");
        config.setCredentialsProvider(new FixedCredentials());

        Map<String, Object> entries = PoolConfigEntries.of(config);

        assertThat(entries).containsEntry("credentials-provider", FixedCredentials.class.getName())
                .doesNotContainKey("password");
        assertThat(entries.toString()).doesNotContain("rotated-secret");
    }

    /** A provider whose toString gives its secret away, as a careless one might. */
    private record FixedCredentials() implements CredentialsProvider {

        @Override
        public Credentials credentials() {
            return new Credentials("app", "rotated-secret");
        }

        @Override
        public String toString() {
            return "FixedCredentials[rotated-secret]";
        }
    }

    @ParameterizedTest
    @CsvSource({ "PT0S, 0s", "PT30S, 30s", "PT10M, 10m", "PT2H, 2h", "P2D, 2d", "PT90S, 90s", "PT0.5S, 500ms",
            "PT1.5S, 1500ms", "PT0.0000015S, 1500ns" })
    void formatsTimesAsSpringReadsThem(Duration duration, String expected) {
        assertThat(PoolConfigEntries.format(duration)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = { "password", "sslpassword", "PASSWORD", "passwd", "pwd", "clientSecret", "token",
            "accessToken", "sslkey", "apiKey", "credentials", "authToken" })
    void treatsKeysThatLookSecretAsSecret(String key) {
        assertThat(PoolConfigEntries.isSecret(key)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "ApplicationName", "ssl", "sslmode", "connectTimeout", "tcpKeepAlive", "user" })
    void leavesOtherKeysAlone(String key) {
        assertThat(PoolConfigEntries.isSecret(key)).isFalse();
    }

    @Test
    void masksPasswordsInUrlsInNonSecretProperties() {
        PoolConfig config = new PoolConfig();
        config.setDataSourceProperties(Map.of("replicaUrl", "jdbc:postgresql://app:s3cret@replica/app"));

        assertThat(PoolConfigEntries.of(config)).extractingByKey("data-source-properties")
                .isEqualTo(Map.of("replicaUrl", "jdbc:postgresql://app:******@replica/app"));
    }
}
