package dev.pool.autoconfigure.endpoint;

import dev.pool.autoconfigure.PoolAutoConfiguration;
import dev.pool.autoconfigure.PoolDataSources;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link PoolEndpoint}, when the actuator is on the classpath and the endpoint is available
 * (exposed, e.g. {@code management.endpoints.web.exposure.include=pool}, and not switched off with
 * {@code management.endpoint.pool.access=none}).
 */
@AutoConfiguration(after = { PoolAutoConfiguration.class, DataSourceAutoConfiguration.class })
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
public final class PoolEndpointAutoConfiguration {

    /**
     * Nested, because Spring loads every condition of a class before it evaluates any: beside the
     * class check above, the actuator's own condition would fail to load where the actuator is absent.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnAvailableEndpoint(PoolEndpoint.class)
    @ConditionalOnBean(DataSource.class)
    static class PoolEndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        PoolEndpoint poolEndpoint(ObjectProvider<DataSource> dataSources) {
            return new PoolEndpoint(PoolDataSources.byName(dataSources));
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean(PoolEndpoint.class)
        @ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
        PoolEndpointWebExtension poolEndpointWebExtension(PoolEndpoint poolEndpoint) {
            return new PoolEndpointWebExtension(poolEndpoint);
        }
    }
}
