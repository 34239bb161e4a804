package dev.pool.autoconfigure.health;

import dev.pool.PoolDataSource;
import dev.pool.ReplicaMonitor;
import dev.pool.autoconfigure.PoolAutoConfiguration;
import dev.pool.autoconfigure.PoolDataSources;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code pool} health contributor, when Boot's health support ({@code spring-boot-health}) is on
 * the classpath: a {@link PoolHealthIndicator} for the one pool, or, with several, one per pool
 * under {@code pool}, named by pool name (read replicas' pools among them, UP while reads fall back to
 * the primary). Off with {@code management.health.pool.enabled=false}.
 */
@AutoConfiguration(after = { PoolAutoConfiguration.class, DataSourceAutoConfiguration.class })
@ConditionalOnClass(ConditionalOnEnabledHealthIndicator.class)
public final class PoolHealthContributorAutoConfiguration {

    /**
     * Nested, because Spring loads every condition of a class before it evaluates any: beside the
     * class check above, the health condition would fail to load where Boot's health support is absent.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(DataSource.class)
    @ConditionalOnEnabledHealthIndicator("pool")
    static class PoolHealthContributorConfiguration {

        /** With no pool among the data sources this is an empty composite, which the health endpoint leaves out. */
        @Bean
        @ConditionalOnMissingBean(name = { "poolHealthIndicator", "poolHealthContributor" })
        HealthContributor poolHealthContributor(ObjectProvider<DataSource> dataSources,
                ObjectProvider<ReplicaMonitor> replicaMonitor) {
            Map<String, PoolDataSource> pools = PoolDataSources.byName(dataSources);
            ReplicaMonitor replicas = replicaMonitor.getIfAvailable();
            if (pools.size() == 1) {
                return new PoolHealthIndicator(pools.values().iterator().next(), replicas);
            }
            return CompositeHealthContributor.fromMap(pools, (pool) -> new PoolHealthIndicator(pool, replicas));
        }
    }
}
