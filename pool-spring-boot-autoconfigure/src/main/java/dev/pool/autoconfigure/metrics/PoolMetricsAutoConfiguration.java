package dev.pool.autoconfigure.metrics;

import dev.pool.PoolDataSource;
import dev.pool.autoconfigure.PoolAutoConfiguration;
import dev.pool.autoconfigure.PoolDataSources;
import dev.pool.autoconfigure.PoolProperties;
import dev.pool.micrometer.PoolMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.IdentityHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Publishes {@link PoolMetrics} of every pool to the application's meter registries. Boot binds
 * {@link MeterBinder} beans to each registry it configures; Boot's own {@code jdbc.connections.*}
 * come on top, through the pool's {@code DataSourcePoolMetadata}. With
 * {@code pool.metrics.otel-names=true} each pool also publishes the OpenTelemetry
 * semantic-convention {@code db.client.connection.*} meters.
 */
@AutoConfiguration(after = { PoolAutoConfiguration.class, DataSourceAutoConfiguration.class },
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ DataSource.class, MeterRegistry.class })
public final class PoolMetricsAutoConfiguration {

    @Bean
    PoolMeterBinder poolMeterBinder(ObjectProvider<DataSource> dataSources, ObjectProvider<PoolProperties> properties) {
        PoolProperties bound = properties.getIfAvailable();
        return new PoolMeterBinder(dataSources, bound != null && bound.getMetrics().isOtelNames());
    }

    /**
     * Binds each pool's {@link PoolMetrics}, one per pool however many registries there are, so a
     * registry bound twice does not count twice. The pools are looked up when binding, once the
     * data sources exist.
     */
    static final class PoolMeterBinder implements MeterBinder, DisposableBean {

        private final ObjectProvider<DataSource> dataSources;
        /** {@code pool.metrics.otel-names}: also the OpenTelemetry semantic-convention meters. */
        private final boolean otelNames;
        /** Guarded by {@code this}. */
        private final Map<PoolDataSource, PoolMetrics> metrics = new IdentityHashMap<>();

        PoolMeterBinder(ObjectProvider<DataSource> dataSources, boolean otelNames) {
            this.dataSources = dataSources;
            this.otelNames = otelNames;
        }

        @Override
        public synchronized void bindTo(MeterRegistry registry) {
            for (PoolDataSource pool : PoolDataSources.byName(dataSources).values()) {
                metrics.computeIfAbsent(pool, (p) -> new PoolMetrics(p, Tags.empty(), otelNames)).bindTo(registry);
            }
        }

        @Override
        public synchronized void destroy() {
            metrics.values().forEach(PoolMetrics::close);
            metrics.clear();
        }
    }
}
