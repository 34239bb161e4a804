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
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JndiDataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.XADataSourceAutoConfiguration;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers a {@link PoolDataSource} as the application's {@link DataSource}, configured from
 * {@code pool.*}. Runs before Boot's own {@link DataSourceAutoConfiguration}, which then backs off;
 * backs off itself when the application defines a {@code DataSource} (or Boot found one in JNDI)
 * or sets {@code pool.enabled=false}. A {@link CredentialsProvider} bean, if there is one, gives the
 * pool its user name and password for every new connection.
 */
@AutoConfiguration(before = { DataSourceAutoConfiguration.class, XADataSourceAutoConfiguration.class },
        after = JndiDataSourceAutoConfiguration.class)
@ConditionalOnClass({ DataSource.class, PoolDataSource.class })
@ConditionalOnProperty(prefix = "pool", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(PoolProperties.class)
public final class PoolAutoConfiguration {

    /** Answers Boot's {@code DataSourcePoolMetadata} for any pool, ours or one the application defined. */
    @Bean
    DataSourcePoolMetadataProvider poolDataSourcePoolMetadataProvider() {
        return (dataSource) -> {
            PoolDataSource pool = DataSourceUnwrapper.unwrap(dataSource, PoolDataSource.class);
            return (pool != null) ? new PoolDataSourcePoolMetadata(pool) : null;
        };
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean({ DataSource.class, XADataSource.class })
    @EnableConfigurationProperties(DataSourceProperties.class)
    static class PoolDataSourceConfiguration {

        /** Where to connect unless a service connection says otherwise. */
        @Bean
        @ConditionalOnMissingBean(JdbcConnectionDetails.class)
        PoolJdbcConnectionDetails poolJdbcConnectionDetails(PoolProperties properties,
                DataSourceProperties dataSourceProperties) {
            return new PoolJdbcConnectionDetails(properties, dataSourceProperties);
        }

        @Bean(destroyMethod = "close")
        PoolDataSource dataSource(PoolProperties properties, JdbcConnectionDetails connectionDetails,
                ObjectProvider<CredentialsProvider> credentialsProvider) {
            PoolConfig config = properties.toPoolConfig();
            config.setUrl(connectionDetails.getJdbcUrl());
            config.setUsername(connectionDetails.getUsername());
            config.setPassword(connectionDetails.getPassword());
            config.setDriverClassName(connectionDetails.getDriverClassName());
            config.setCredentialsProvider(credentialsProvider.getIfAvailable());
            return new PoolDataSource(config);
        }
    }
}
