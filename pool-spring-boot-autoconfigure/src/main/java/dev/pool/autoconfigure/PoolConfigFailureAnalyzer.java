package dev.pool.autoconfigure;

import dev.pool.PoolConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link PoolConfigException} into Boot's start-up failure report: which property, which
 * value, which rule, and what to change.
 */
class PoolConfigFailureAnalyzer extends AbstractFailureAnalyzer<PoolConfigException> {

    private static final String URL_PROPERTY = "pool.url";

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PoolConfigException cause) {
        String description = "Invalid pool configuration: " + cause.property() + " = " + cause.value() + ": " + cause.rule();
        return new FailureAnalysis(description, action(cause), cause);
    }

    private static String action(PoolConfigException cause) {
        if (URL_PROPERTY.equals(cause.property()) && isMissing(cause.value())) {
            return "Set pool.url (or spring.datasource.url) to the JDBC URL of your database, "
                    + "or add an embedded database (H2, HSQLDB or Derby) to the classpath.";
        }
        return "Change " + cause.property() + " in your configuration (application.yml/properties): " + cause.rule() + ".";
    }

    /** {@link PoolConfigException#value()} is the value as text, so an absent one reads {@code "null"}. */
    private static boolean isMissing(String value) {
        return value == null || value.isBlank() || "null".equals(value);
    }
}
