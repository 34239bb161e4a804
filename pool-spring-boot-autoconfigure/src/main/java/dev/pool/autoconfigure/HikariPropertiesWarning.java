package dev.pool.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Says so, in one WARN, when {@code spring.datasource.hikari.*} is set while the pool is the
 * application's DataSource: Boot binds those keys to HikariCP only, so an application that swapped
 * HikariCP for the starter would otherwise lose its settings without a word. The warning names the
 * {@code pool.*} property to set instead of each key, or why there is none.
 *
 * <p>{@link #EQUIVALENTS} covers every key Boot documents under {@code spring.datasource.hikari}
 * (HikariCP's {@code HikariConfig} properties that take a text value); the README's "Migrating from
 * HikariCP" table is the same list.
 */
final class HikariPropertiesWarning {

    private static final Logger log = LoggerFactory.getLogger(HikariPropertiesWarning.class);

    static final ConfigurationPropertyName HIKARI = ConfigurationPropertyName.of("spring.datasource.hikari");

    /** HikariCP's key under {@code spring.datasource.hikari} and what to set instead. */
    static final Map<String, String> EQUIVALENTS = equivalents();

    private HikariPropertiesWarning() {
    }

    private static Map<String, String> equivalents() {
        Map<String, String> equivalents = new LinkedHashMap<>();
        equivalents.put("allow-pool-suspension", "no equivalent needed: every pool can be suspended and resumed "
                + "(the pool endpoint, JMX, PoolDataSource.suspend())");
        equivalents.put("auto-commit", "pool.auto-commit");
        equivalents.put("catalog", "pool.catalog");
        equivalents.put("connection-init-sql", "pool.connection-init-sql");
        equivalents.put("connection-test-query", "pool.validation-query");
        equivalents.put("connection-timeout", "pool.connection-wait-timeout");
        equivalents.put("credentials-provider-class-name", "no equivalent as a property: declare a "
                + "dev.pool.CredentialsProvider bean, which the pool asks before every connect");
        equivalents.put("data-source-class-name", "no equivalent: the pool connects through the JDBC driver of "
                + "pool.url; to pool a DataSource of your own, build the pool in a @Bean with PoolConfig.setDataSource");
        equivalents.put("data-source-j-n-d-i", "no equivalent: set spring.datasource.jndi-name, and Boot's JNDI "
                + "DataSource replaces the pool");
        equivalents.put("data-source-properties", "pool.data-source-properties");
        equivalents.put("driver-class-name", "pool.driver-class-name");
        equivalents.put("exception-override-class-name", "no equivalent: the pool retires a connection by its "
                + "SQLState (08xxx, 57P01-57P03) or a failed validation");
        equivalents.put("health-check-properties", "no equivalent: these feed Dropwizard health checks; the pool's "
                + "health is the actuator's pool health contributor");
        equivalents.put("idle-timeout", "pool.max-idle-time");
        equivalents.put("initialization-fail-timeout", "pool.initialization-fail-fast with pool.initial-size: a "
                + "positive timeout is fail-fast true with initial-size 1 or more, a negative one fail-fast false");
        equivalents.put("isolate-internal-queries", "no equivalent needed: the pool ends any transaction its own "
                + "queries open, so no borrower inherits one");
        equivalents.put("jdbc-url", "pool.url");
        equivalents.put("keepalive-time", "pool.keepalive-interval");
        equivalents.put("leak-detection-threshold", "pool.leak-detection-threshold");
        equivalents.put("login-timeout", "pool.connect-timeout (HikariCP counts seconds: write 5s for 5)");
        equivalents.put("max-lifetime", "pool.max-reuse-time");
        equivalents.put("maximum-pool-size", "pool.max-size");
        equivalents.put("minimum-idle", "pool.min-idle");
        equivalents.put("password", "pool.password");
        equivalents.put("pool-name", "pool.name");
        equivalents.put("read-only", "pool.read-only");
        equivalents.put("register-mbeans", "pool.register-mbeans");
        equivalents.put("schema", "pool.schema");
        equivalents.put("transaction-isolation", "pool.transaction-isolation (read-committed for "
                + "TRANSACTION_READ_COMMITTED)");
        equivalents.put("username", "pool.username");
        equivalents.put("validation-timeout", "pool.validation-timeout");
        return equivalents;
    }

    /** Logs one WARN if any {@code spring.datasource.hikari.*} property is set; nothing otherwise. */
    static void warnIfSet(Environment environment, String poolName) {
        Set<String> keys = keysSet(environment);
        if (keys.isEmpty()) {
            return;
        }
        String advice = keys.stream().map((key) -> HIKARI + "." + key + " -> " + equivalent(key))
                .collect(Collectors.joining("; "));
        log.warn("{}.* is set, but the application's DataSource is the pool '{}', which those HikariCP settings do "
                + "not reach; they are ignored. Set instead: {}", HIKARI, poolName, advice);
    }

    /** The keys set under {@code spring.datasource.hikari}, first element only, dashed, in any property source. */
    static Set<String> keysSet(Environment environment) {
        Set<String> keys = new TreeSet<>();
        int depth = HIKARI.getNumberOfElements();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.filter(HIKARI::isAncestorOf).stream()
                        .forEach((name) -> keys.add(knownKey(name.getElement(depth, Form.UNIFORM),
                                name.getElement(depth, Form.DASHED))));
            }
        }
        return keys;
    }

    /** The documented key for what was written in any relaxed form ({@code maximumPoolSize}, {@code MAXIMUMPOOLSIZE}). */
    private static String knownKey(String uniform, String dashed) {
        for (String key : EQUIVALENTS.keySet()) {
            if (key.replace("-", "").equals(uniform)) {
                return key;
            }
        }
        return dashed.toLowerCase(Locale.ROOT);
    }

    private static String equivalent(String key) {
        String equivalent = EQUIVALENTS.get(key);
        return (equivalent != null) ? equivalent : "no equivalent";
    }
}
