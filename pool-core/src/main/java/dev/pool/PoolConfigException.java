package dev.pool;

/**
 * A {@code pool.*} property has a value the pool cannot work with. The message names the property,
 * the value and the rule; the parts are also available on their own (the Spring Boot failure
 * analyzer shows them as a report).
 */
public class PoolConfigException extends IllegalArgumentException {

    private final String property;
    private final String value;
    private final String rule;

    public PoolConfigException(String property, Object value, String rule) {
        super(property + " = " + value + " is invalid: " + rule);
        this.property = property;
        this.value = String.valueOf(value);
        this.rule = rule;
    }

    /** The property, as written in configuration, e.g. {@code pool.max-size}. */
    public String property() {
        return property;
    }

    /** The rejected value as text. */
    public String value() {
        return value;
    }

    /** What the value must satisfy. */
    public String rule() {
        return rule;
    }
}
