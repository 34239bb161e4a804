package dev.pool.autoconfigure.observation;

import dev.pool.PoolDataSource;
import dev.pool.PoolListener;
import dev.pool.autoconfigure.PoolAutoConfiguration;
import dev.pool.autoconfigure.PoolDataSources;
import dev.pool.micrometer.PoolObservations;
import io.micrometer.observation.ObservationRegistry;
import java.util.IdentityHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * With an {@link ObservationRegistry} bean (Boot's, with Actuator or tracing), every pool observes
 * each wait of {@code getConnection()} as {@code pool.connection.acquire} ({@link PoolObservations}):
 * with tracing, a span under the request that waited. A borrow that finds an idle connection is
 * not observed.
 */
@AutoConfiguration(after = { PoolAutoConfiguration.class, DataSourceAutoConfiguration.class },
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean({ DataSource.class, ObservationRegistry.class })
public final class PoolObservationAutoConfiguration {

    @Bean
    PoolObservationRegistrar poolObservationRegistrar(ObjectProvider<DataSource> dataSources,
            ObservationRegistry observationRegistry) {
        return new PoolObservationRegistrar(dataSources, observationRegistry);
    }

    /**
     * Adds the observing listener to each pool once every singleton exists (the pools among them),
     * and takes it off again when the context closes.
     */
    static final class PoolObservationRegistrar implements SmartInitializingSingleton, DisposableBean {

        private final ObjectProvider<DataSource> dataSources;
        private final ObservationRegistry observationRegistry;
        /** Guarded by {@code this}. */
        private final Map<PoolDataSource, PoolListener> listeners = new IdentityHashMap<>();

        PoolObservationRegistrar(ObjectProvider<DataSource> dataSources, ObservationRegistry observationRegistry) {
            this.dataSources = dataSources;
            this.observationRegistry = observationRegistry;
        }

        @Override
        public synchronized void afterSingletonsInstantiated() {
            for (PoolDataSource pool : PoolDataSources.byName(dataSources).values()) {
                listeners.computeIfAbsent(pool, (p) -> {
                    PoolListener listener = new PoolObservations(p.getName(), observationRegistry);
                    p.addListener(listener);
                    return listener;
                });
            }
        }

        @Override
        public synchronized void destroy() {
            listeners.forEach(PoolDataSource::removeListener);
            listeners.clear();
        }
    }
}
