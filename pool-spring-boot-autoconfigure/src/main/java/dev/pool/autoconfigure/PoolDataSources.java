package dev.pool.autoconfigure;

import dev.pool.PoolDataSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.jdbc.DataSourceUnwrapper;

/**
 * The pools of an application context, for its metrics, endpoint and health: every
 * {@link PoolDataSource} among the {@link DataSource} beans, also behind a wrapper or proxy that
 * Boot's {@link DataSourceUnwrapper} sees through, each once.
 */
public final class PoolDataSources {

    private PoolDataSources() {
    }

    /**
     * The pools by {@linkplain PoolDataSource#getName() name}, in bean registration order.
     *
     * @throws IllegalStateException if two pools share a name: their metrics would mix and the
     *         endpoint could show only one
     */
    public static Map<String, PoolDataSource> byName(ListableBeanFactory beanFactory) {
        Map<PoolDataSource, List<String>> beanNames = new IdentityHashMap<>();
        List<PoolDataSource> pools = new ArrayList<>();
        beanFactory.getBeansOfType(DataSource.class, false, false).forEach((beanName, dataSource) -> {
            PoolDataSource pool = DataSourceUnwrapper.unwrap(dataSource, PoolDataSource.class);
            if (pool != null) {
                beanNames.computeIfAbsent(pool, (p) -> {
                    pools.add(p);
                    return new ArrayList<>();
                }).add(beanName);
            }
        });
        Map<String, PoolDataSource> byName = new LinkedHashMap<>();
        for (PoolDataSource pool : pools) {
            PoolDataSource other = byName.putIfAbsent(pool.getName(), pool);
            if (other != null) {
                throw new IllegalStateException("Two pools are named '" + pool.getName() + "': beans "
                        + beanNames.get(other) + " and " + beanNames.get(pool) + ". A pool's name tags its metrics "
                        + "and keys the pool endpoint and health, so give each pool its own (PoolConfig.setName, "
                        + "or pool.name for the auto-configured one).");
            }
        }
        return Collections.unmodifiableMap(byName);
    }
}
