package dev.pool.autoconfigure;

import dev.pool.PoolDataSource;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;

/**
 * {@code spring.datasource.connection-fetch=lazy} for the pool, as Boot does it for its own pools:
 * the {@code dataSource} bean becomes a {@link LazyConnectionDataSourceProxy} around the pool, which
 * borrows a connection only when a statement needs one (so a transaction that runs no SQL holds no
 * connection). Spring still closes the pool with the context: it registers the destroy method of
 * the bean as created, before post-processing.
 */
class LazyConnectionPoolPostProcessor implements BeanPostProcessor, Ordered {

    static final String DATA_SOURCE_BEAN_NAME = "dataSource";

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        if (DATA_SOURCE_BEAN_NAME.equals(beanName) && bean instanceof PoolDataSource pool) {
            return new LazyConnectionDataSourceProxy(pool);
        }
        return bean;
    }

    /** Boot's own lazy post-processor's order, so other data source post-processors see the same. */
    @Override
    public int getOrder() {
        return 0;
    }
}
