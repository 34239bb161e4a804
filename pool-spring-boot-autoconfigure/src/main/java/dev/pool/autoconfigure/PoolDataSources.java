package dev.pool.autoconfigure;

import dev.pool.PoolDataSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.jdbc.DataSourceUnwrapper;

/**
 * The pools of an application context, for its metrics, endpoint, health and pool metadata: every
 * {@link PoolDataSource} among the {@link DataSource} beans, also behind a wrapper or proxy, each
 * once.
 *
 * <p>A JDBC decorator (datasource-proxy's {@code ProxyDataSource}, p6spy, tracing decorators)
 * implements {@code DataSource} only, passing {@code unwrap}/{@code isWrapperFor} on to the pool.
 * Boot's {@link DataSourceUnwrapper#unwrap(DataSource, Class)} asks a wrapper only for interfaces,
 * so a pool behind such a decorator is found by asking the wrapper for the pool's class, or by
 * unwrapping to the root data source.
 */
public final class PoolDataSources {

    private PoolDataSources() {
    }

    /**
     * The pool behind a data source: the data source itself, the target of Spring's delegating
     * data sources and AOP proxies, or what a JDBC wrapper unwraps to; null if there is none.
     */
    public static @Nullable PoolDataSource unwrap(DataSource dataSource) {
        PoolDataSource pool = DataSourceUnwrapper.unwrap(dataSource, PoolDataSource.class);
        if (pool != null) {
            return pool;
        }
        try {
            if (dataSource.isWrapperFor(PoolDataSource.class)) {
                return dataSource.unwrap(PoolDataSource.class);
            }
        } catch (Exception ex) {
            // a wrapper that cannot answer for a class: try its root below
        }
        return (DataSourceUnwrapper.unwrapRoot(dataSource) instanceof PoolDataSource root) ? root : null;
    }

    /**
     * The pools by {@linkplain PoolDataSource#getName() name}, in bean order. Looks at every
     * singleton {@code DataSource} bean, also those that are no default candidate (Boot's "two
     * DataSources" recipe declares its second one so), as Boot's own pool metrics do.
     *
     * @throws IllegalStateException if two pools share a name: their metrics would mix and the
     *         endpoint could show only one
     */
    public static Map<String, PoolDataSource> byName(ObjectProvider<DataSource> dataSources) {
        Set<PoolDataSource> pools = Collections.newSetFromMap(new IdentityHashMap<>());
        List<PoolDataSource> ordered = new ArrayList<>();
        dataSources.stream(ObjectProvider.UNFILTERED, false).forEach((dataSource) -> {
            PoolDataSource pool = unwrap(dataSource);
            if (pool != null && pools.add(pool)) {
                ordered.add(pool);
            }
        });
        Map<String, PoolDataSource> byName = new LinkedHashMap<>();
        for (PoolDataSource pool : ordered) {
            if (byName.putIfAbsent(pool.getName(), pool) != null) {
                throw new IllegalStateException("Two pools are named '" + pool.getName() + "'. A pool's name tags its "
                        + "metrics and keys the pool endpoint and health, so give each pool its own: pool.name for the "
                        + "auto-configured one, PoolConfig.setName or PoolDataSource.setName for one you build.");
            }
        }
        return Collections.unmodifiableMap(byName);
    }

    /** {@link #byName(ObjectProvider)} of a bean factory's {@code DataSource} beans. */
    public static Map<String, PoolDataSource> byName(ListableBeanFactory beanFactory) {
        return byName(beanFactory.getBeanProvider(DataSource.class));
    }
}
