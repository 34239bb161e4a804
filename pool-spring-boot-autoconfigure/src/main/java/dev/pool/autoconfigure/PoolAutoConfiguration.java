package dev.pool.autoconfigure;

import dev.pool.CredentialsProvider;
import dev.pool.PoolConfig;
import dev.pool.PoolDataSource;
import javax.sql.DataSource;
import javax.sql.XADataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.XADataSourceWrapper;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JndiDataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.XADataSourceAutoConfiguration;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Registers a {@link PoolDataSource} as the application's {@link DataSource}, configured from
 * {@code pool.*}, where Boot would register one of its own pools. Runs before Boot's own
 * {@link DataSourceAutoConfiguration}, which then backs off. Backs off itself, as Boot's pools do,
 * when the application defines a {@code DataSource}, an {@code XADataSource} or an
 * {@link XADataSourceWrapper} (or Boot found a DataSource in JNDI, or a test replaced it), when
 * {@code spring.datasource.type} names another class, when the application excludes
 * {@link DataSourceAutoConfiguration}, or with {@code pool.enabled=false}.
 * A {@link CredentialsProvider} bean, if there is one, gives the pool its user name and
 * password for every new connection. With {@code pool.replicas[n].*}, {@link PoolReplicasRegistrar}
 * adds a pool per read replica and the {@code dataSource} bean routes read-only transactions to them.
 */
@AutoConfiguration(before = { DataSourceAutoConfiguration.class, XADataSourceAutoConfiguration.class },
        after = JndiDataSourceAutoConfiguration.class,
        afterName = { "org.springframework.boot.transaction.jta.autoconfigure.JtaAutoConfiguration",
                "org.springframework.boot.jdbc.test.autoconfigure.TestDatabaseAutoConfiguration" })
@ConditionalOnClass({ DataSource.class, PoolDataSource.class })
@ConditionalOnProperty(prefix = "pool", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(PoolProperties.class)
public final class PoolAutoConfiguration {

    /**
     * Answers Boot's {@code DataSourcePoolMetadata} for any pool, ours or one the application
     * defined, also behind a wrapper: Boot's {@code jdbc.connections.*} metrics and Hibernate's
     * auto-commit hint read it.
     */
    @Bean
    DataSourcePoolMetadataProvider poolDataSourcePoolMetadataProvider() {
        return (dataSource) -> {
            PoolDataSource pool = PoolDataSources.unwrap(dataSource);
            return (pool != null) ? new PoolDataSourcePoolMetadata(pool) : null;
        };
    }

    @Bean
    static PoolBeanNamePostProcessor poolBeanNamePostProcessor() {
        return new PoolBeanNamePostProcessor();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean({ DataSource.class, XADataSource.class, XADataSourceWrapper.class })
    @ConditionalOnProperty(name = "spring.datasource.type", havingValue = "dev.pool.PoolDataSource", matchIfMissing = true)
    @Conditional(DataSourceAutoConfigurationNotExcludedCondition.class)
    @EnableConfigurationProperties(DataSourceProperties.class)
    @Import(PoolReplicasRegistrar.class)
    static class PoolDataSourceConfiguration {

        /** Where to connect unless a service connection says otherwise. */
        @Bean
        @ConditionalOnMissingBean(JdbcConnectionDetails.class)
        PoolJdbcConnectionDetails poolJdbcConnectionDetails(PoolProperties properties,
                DataSourceProperties dataSourceProperties) {
            return new PoolJdbcConnectionDetails(properties, dataSourceProperties);
        }

        @Bean(destroyMethod = "close")
        PoolDataSource dataSource(PoolProperties properties, DataSourceProperties dataSourceProperties,
                JdbcConnectionDetails connectionDetails, Environment environment,
                ObjectProvider<CredentialsProvider> credentialsProvider) {
            PoolConfig config = properties.toPoolConfig();
            config.setName(poolName(properties, dataSourceProperties));
            config.setUrl(connectionDetails.getJdbcUrl());
            config.setUsername(connectionDetails.getUsername());
            config.setPassword(connectionDetails.getPassword());
            config.setDriverClassName(connectionDetails.getDriverClassName());
            HikariPropertiesWarning.warnIfSet(environment, config.getName());
            config.setCredentialsProvider(credentialsProvider.getIfAvailable());
            return new PoolDataSource(config);
        }

        /** {@code pool.name}, else {@code spring.datasource.name}, else the default. */
        static String poolName(PoolProperties properties, DataSourceProperties dataSourceProperties) {
            if (StringUtils.hasText(properties.getName())) {
                return properties.getName();
            }
            if (StringUtils.hasText(dataSourceProperties.getName())) {
                return dataSourceProperties.getName();
            }
            return new PoolConfig().getName();
        }

        @Bean
        @ConditionalOnProperty(name = "spring.datasource.connection-fetch", havingValue = "lazy")
        static LazyConnectionPoolPostProcessor lazyConnectionPoolPostProcessor() {
            return new LazyConnectionPoolPostProcessor();
        }
    }
}
