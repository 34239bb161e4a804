package dev.pool.autoconfigure;

import dev.pool.PoolDataSource;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;

/**
 * {@code spring.datasource.connection-fetch=lazy} for the pool, as Boot does it for its own pools:
 * the {@code dataSource} bean becomes a {@link LazyConnectionDataSourceProxy} around the pool, which
 * borrows a connection only when a statement needs one (so a transaction that runs no SQL holds no
 * connection).
 *
 * <p>The proxy has no {@code close()}, so Spring would no longer close the pool with the context;
 * this post-processor closes each pool it wrapped when the proxy is destroyed.
 */
class LazyConnectionPoolPostProcessor implements DestructionAwareBeanPostProcessor, Ordered {

    static final String DATA_SOURCE_BEAN_NAME = "dataSource";

    /** The proxies made here, and their pools. */
    private final Map<LazyConnectionDataSourceProxy, PoolDataSource> wrapped = Collections.synchronizedMap(new IdentityHashMap<>());

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        if (DATA_SOURCE_BEAN_NAME.equals(beanName) && bean instanceof PoolDataSource pool) {
            LazyConnectionDataSourceProxy proxy = new LazyConnectionDataSourceProxy(pool);
            wrapped.put(proxy, pool);
            return proxy;
        }
        return bean;
    }

    @Override
    public boolean requiresDestruction(Object bean) {
        return bean instanceof DataSource && wrapped.containsKey(bean);
    }

    @Override
    public void postProcessBeforeDestruction(Object bean, String beanName) throws BeansException {
        PoolDataSource pool = wrapped.remove(bean);
        if (pool != null) {
            pool.close();
        }
    }

    /** Boot's own lazy post-processor's order, so other data source post-processors see the same. */
    @Override
    public int getOrder() {
        return 0;
    }
}
