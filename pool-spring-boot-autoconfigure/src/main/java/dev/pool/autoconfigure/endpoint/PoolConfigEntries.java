package dev.pool.autoconfigure.endpoint;

import dev.pool.PoolConfig;
import dev.pool.UrlMasker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A pool's configuration as the endpoint shows it: every {@code pool.*} property under its
 * kebab-case name, times as Spring writes them ({@code 30s}, {@code 10m}), and no secret. The
 * password becomes {@value #MASK}, so does any password in the URL, and so does every
 * {@code data-source-properties} value whose key looks secret. A credentials provider or a data
 * source shows as its class. Unset properties are left out. The sizes a resize changes are shown
 * as they are now, not as the pool started.
 */
final class PoolConfigEntries {

    static final String MASK = "******";

    /** Parts of a connection-property key that mark its value as a secret (compared in lower case). */
    private static final List<String> SECRET_KEY_PARTS = List.of("password", "passwd", "pwd", "secret", "token",
            "key", "credential", "auth");

    /** Largest first, so the first that divides a duration names it. */
    private static final List<Unit> WHOLE_SECOND_UNITS = List.of(new Unit(86_400, "d"), new Unit(3_600, "h"),
            new Unit(60, "m"), new Unit(1, "s"));

    private PoolConfigEntries() {
    }

    /**
     * A running pool's configuration now: {@code config} with the {@code min-idle} and
     * {@code max-size} that a resize may have changed.
     */
    static Map<String, Object> of(PoolConfig config, int minIdle, int maxSize) {
        Map<String, Object> entries = of(config);
        entries.put("min-idle", minIdle);
        entries.put("max-size", maxSize);
        return entries;
    }

    static Map<String, Object> of(PoolConfig config) {
        Map<String, Object> entries = new LinkedHashMap<>();
        put(entries, "name", config.getName());
        put(entries, "url", UrlMasker.mask(config.getUrl()));
        put(entries, "username", config.getUsername());
        put(entries, "password", (config.getPassword() != null) ? MASK : null);
        if (config.getCredentialsProvider() != null) {
            // the class only: what it returns is a secret, and so may be whatever its toString shows
            entries.put("credentials-provider", config.getCredentialsProvider().getClass().getName());
        }
        put(entries, "driver-class-name", config.getDriverClassName());
        if (config.getDataSource() != null) {
            // the class only: a data source's toString may carry its URL and password
            entries.put("data-source", config.getDataSource().getClass().getName());
        }
        if (!config.getDataSourceProperties().isEmpty()) {
            entries.put("data-source-properties", maskedProperties(config.getDataSourceProperties()));
        }
        put(entries, "initial-size", config.getInitialSize());
        put(entries, "min-size", config.getMinSize());
        put(entries, "min-idle", config.getMinIdle());
        put(entries, "max-idle", config.getMaxIdle());
        put(entries, "max-size", config.getMaxSize());
        put(entries, "connection-wait-timeout", format(config.getConnectionWaitTimeout()));
        put(entries, "connect-timeout", format(config.getConnectTimeout()));
        put(entries, "max-idle-time", format(config.getMaxIdleTime()));
        put(entries, "max-reuse-time", format(config.getMaxReuseTime()));
        put(entries, "max-reuse-count", config.getMaxReuseCount());
        put(entries, "max-pending", config.getMaxPending());
        put(entries, "early-rejection", config.isEarlyRejection());
        put(entries, "abandoned-connection-timeout", format(config.getAbandonedConnectionTimeout()));
        put(entries, "leak-detection-threshold", format(config.getLeakDetectionThreshold()));
        put(entries, "validation-timeout", format(config.getValidationTimeout()));
        put(entries, "validation-query", config.getValidationQuery());
        put(entries, "validation-interval", format(config.getValidationInterval()));
        put(entries, "keepalive-interval", format(config.getKeepaliveInterval()));
        put(entries, "initialization-fail-fast", config.isInitializationFailFast());
        put(entries, "primary-role-guard", config.isPrimaryRoleGuard());
        put(entries, "auto-commit", config.getAutoCommit());
        put(entries, "read-only", config.getReadOnly());
        put(entries, "transaction-isolation",
                (config.getTransactionIsolation() != null) ? config.getTransactionIsolation().name() : null);
        put(entries, "catalog", config.getCatalog());
        put(entries, "schema", config.getSchema());
        put(entries, "connection-init-sql", config.getConnectionInitSql());
        put(entries, "shutdown-timeout", format(config.getShutdownTimeout()));
        put(entries, "register-mbeans", config.isRegisterMbeans());
        return entries;
    }

    /** Whether a connection property's value is a secret, judged by its key. */
    static boolean isSecret(String key) {
        String lowerCase = key.toLowerCase(Locale.ROOT);
        return SECRET_KEY_PARTS.stream().anyMatch(lowerCase::contains);
    }

    private static Map<String, String> maskedProperties(Map<String, String> properties) {
        Map<String, String> masked = new LinkedHashMap<>();
        // a value that is not a secret by its key may still hold a URL with a password in it
        properties.forEach((key, value) -> masked.put(key, isSecret(key) ? MASK : UrlMasker.mask(value)));
        return masked;
    }

    private static void put(Map<String, Object> entries, String key, @Nullable Object value) {
        if (value != null) {
            entries.put(key, value);
        }
    }

    /** In the largest unit that states it exactly, as in {@code application.yml}: {@code 30s}, {@code 1500ms}. */
    static @Nullable String format(@Nullable Duration duration) {
        if (duration == null) {
            return null;
        }
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.getNano() == 0) {
            for (Unit unit : WHOLE_SECOND_UNITS) {
                if (duration.getSeconds() % unit.seconds() == 0) {
                    return duration.getSeconds() / unit.seconds() + unit.suffix();
                }
            }
        }
        if (duration.getNano() % 1_000_000 == 0) {
            return duration.toMillis() + "ms";
        }
        return duration.toNanos() + "ns";
    }

    private record Unit(long seconds, String suffix) {
    }
}
