package dev.pool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.PoolConfig;
import java.beans.PropertyDescriptor;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanUtils;

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

    @Test
    void toPoolConfigCopiesEveryValueButTheConnection() {
        PoolProperties properties = new PoolProperties();
        properties.setName("orders");
        properties.setMaxSize(3);
        properties.setMaxIdle(1);
        properties.setUrl("jdbc:stub:ignored");
        PoolConfig config = properties.toPoolConfig();
        assertThat(config.getName()).isEqualTo("orders");
        assertThat(config.getMaxSize()).isEqualTo(3);
        assertThat(config.getMaxIdle()).isEqualTo(1);
        assertThat(config.getUrl()).as("resolved by the auto-configuration").isNull();
        assertThat(config).usingRecursiveComparison().ignoringFields(CONNECTION_PROPERTIES.toArray(String[]::new))
                .ignoringFields("name", "maxSize", "maxIdle").isEqualTo(new PoolConfig());
    }

    private static Map<String, Class<?>> properties(Class<?> type) {
        return Arrays.stream(BeanUtils.getPropertyDescriptors(type))
                .filter((descriptor) -> descriptor.getWriteMethod() != null)
                .collect(Collectors.toMap(PropertyDescriptor::getName, PropertyDescriptor::getPropertyType, (a, b) -> a));
    }
}
