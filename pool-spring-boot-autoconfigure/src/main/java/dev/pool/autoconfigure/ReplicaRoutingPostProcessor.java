package dev.pool.autoconfigure;

import dev.pool.PoolDataSource;
import dev.pool.ReplicaMonitor;
import dev.pool.ReplicaRoutingDataSource;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;

/**
 * With read replicas, the {@code dataSource} bean becomes Spring's {@link LazyConnectionDataSourceProxy}
 * around the primary's pool, with a {@link ReplicaRoutingDataSource} as its read-only data source. The
 * proxy hands out a connection handle and borrows a real connection only at the first statement; if
 * the handle was set read-only before that (Spring's transaction manager does so for
 * {@code @Transactional(readOnly = true)}), it borrows from the replicas, else from the primary.
 *
 * <p>Runs first among the post-processors, so that a JDBC decorator (datasource-proxy, p6spy, tracing)
 * wraps the router, not the other way round, and {@code spring.datasource.connection-fetch=lazy}'s
 * post-processor, seeing a proxy already, leaves it alone. Spring still closes the primary's pool with
 * the context: it registers the destroy method of the bean as created, before post-processing.
 */
class ReplicaRoutingPostProcessor implements BeanPostProcessor, BeanFactoryAware, Ordered {

    private BeanFactory beanFactory;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        if (LazyConnectionPoolPostProcessor.DATA_SOURCE_BEAN_NAME.equals(beanName) && bean instanceof PoolDataSource primary) {
            ReplicaMonitor monitor = beanFactory.getBean(PoolReplicasRegistrar.MONITOR_BEAN_NAME, ReplicaMonitor.class);
            LazyConnectionDataSourceProxy router = new LazyConnectionDataSourceProxy(primary);
            router.setReadOnlyDataSource(new ReplicaRoutingDataSource(primary, monitor));
            return router;
        }
        return bean;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
