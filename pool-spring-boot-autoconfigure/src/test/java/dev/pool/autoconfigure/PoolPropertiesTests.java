package dev.pool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.PoolConfig;
import java.beans.PropertyDescriptor;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;

class PoolPropertiesTests {

    /** Set on the config by the auto-configuration, not by {@link PoolProperties#toPoolConfig()}. */
    private static final Set<String> CONNECTION_PROPERTIES = Set.of("url", "username", "password", "driverClassName", "dataSource",
            "credentialsProvider");

    /** Objects, not values: a DataSource is the application's own bean, a credentials provider too. */
    private static final Set<String> BEANS_NOT_PROPERTIES = Set.of("dataSource", "credentialsProvider");

    @Test
    void defaultsAreThoseOfPoolConfig() {
        assertThat(new PoolProperties().toPoolConfig()).usingRecursiveComparison().isEqualTo(new PoolConfig());
    }

    @Test
    void everyPoolConfigPropertyCanBeBound() {
        Map<String, Class<?>> bindable = properties(PoolProperties.class);
        properties(PoolConfig.class).forEach((name, type) -> {
            if (!BEANS_NOT_PROPERTIES.contains(name)) {
                assertThat(bindable).as("pool.* property for PoolConfig." + name).containsEntry(name, type);
            }
        });
    }

    /**
     * Every property {@link PoolConfig} shares with {@link PoolProperties}, found by reflection, is
     * set to a value other than its default and must arrive in {@code toPoolConfig()}: a forgotten
     * {@code config.setX(x)} fails here, for properties added later too.
     */
    @Test
    void toPoolConfigCopiesEveryValueButTheConnection() {
        PoolProperties properties = new PoolProperties();
        BeanWrapper bound = new BeanWrapperImpl(properties);
        Map<String, Object> values = new TreeMap<>();
        properties(PoolConfig.class).forEach((name, type) -> {
            if (!CONNECTION_PROPERTIES.contains(name) && bound.isWritableProperty(name)) {
                Object value = otherThan(bound.getPropertyValue(name), type, name);
                bound.setPropertyValue(name, value);
                values.put(name, value);
            }
        });
        assertThat(values).as("properties checked").containsKeys("name", "maxSize", "validationQuery", "transactionIsolation",
                "dataSourceProperties", "registerMbeans");

        BeanWrapper config = new BeanWrapperImpl(properties.toPoolConfig());
        assertThat(values).allSatisfy((name, value) ->
                assertThat(config.getPropertyValue(name)).as("PoolConfig.%s from pool.* via toPoolConfig()", name).isEqualTo(value));
        for (String connection : CONNECTION_PROPERTIES) {
            assertThat(config.getPropertyValue(connection)).as("%s: resolved by the auto-configuration", connection).isNull();
        }
    }

    /** A value of {@code type} unlike {@code current}, the default. */
    private static Object otherThan(Object current, Class<?> type, String name) {
        if (type == int.class || type == Integer.class) {
            return (current == null) ? 7 : (Integer) current + 7;
        }
        if (type == long.class || type == Long.class) {
            return (current == null) ? 7L : (Long) current + 7;
        }
        if (type == boolean.class || type == Boolean.class) {
            return (current == null) || !(Boolean) current;
        }
        if (type == Duration.class) {
            return (current == null) ? Duration.ofMillis(4321) : ((Duration) current).plusMillis(4321);
        }
        if (type == String.class) {
            return name + "-value";
        }
        if (type.isEnum()) {
            return Arrays.stream(type.getEnumConstants()).filter((constant) -> constant != current).findFirst().orElseThrow();
        }
        if (type == Map.class) {
            return Map.of(name + "-key", name + "-value");
        }
        throw new AssertionError("PoolConfig." + name + " is a " + type.getName() + ": teach otherThan() a value of that type");
    }

    private static Map<String, Class<?>> properties(Class<?> type) {
        return Arrays.stream(BeanUtils.getPropertyDescriptors(type))
                .filter((descriptor) -> descriptor.getWriteMethod() != null)
                .collect(Collectors.toMap(PropertyDescriptor::getName, PropertyDescriptor::getPropertyType, (a, b) -> a));
    }
}
