package dev.pool.autoconfigure.crac;

import dev.pool.PoolDataSource;
import dev.pool.autoconfigure.PoolAutoConfiguration;
import javax.sql.DataSource;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The {@link PoolCheckpointRestoreLifecycle}, under the conditions of Boot's own
 * {@code DataSourceCheckpointRestoreConfiguration}: {@code org.crac} on the classpath
 * ({@code org.crac:crac}) and a {@code DataSource} in the context. The class check is Boot's
 * {@code @ConditionalOnCheckpointRestore} written out, so that the generated
 * {@code spring-autoconfigure-metadata.properties} carries it and Boot skips this class without
 * loading it where {@code org.crac} is absent.
 */
@AutoConfiguration(after = { PoolAutoConfiguration.class, DataSourceAutoConfiguration.class })
@ConditionalOnClass(value = PoolDataSource.class, name = "org.crac.Resource")
@ConditionalOnBean(DataSource.class)
public final class PoolCheckpointRestoreAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PoolCheckpointRestoreLifecycle poolCheckpointRestoreLifecycle(ListableBeanFactory beanFactory,
            ConfigurableApplicationContext applicationContext) {
        return new PoolCheckpointRestoreLifecycle(beanFactory, applicationContext);
    }
}
