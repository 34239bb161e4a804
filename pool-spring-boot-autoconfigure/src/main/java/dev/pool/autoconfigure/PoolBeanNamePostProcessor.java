package dev.pool.autoconfigure;

import dev.pool.PoolConfig;
import dev.pool.PoolDataSource;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Names a pool bean the application built as a JavaBean ({@code DataSourceBuilder},
 * {@code @ConfigurationProperties}) after its bean, when nothing gave it a name of its own: Boot's
 * "two DataSources" recipe builds a second pool beside the auto-configured one, and two pools
 * both named {@code pool} would fail start-up, as their metrics would mix. HikariCP numbers its
 * unnamed pools instead; a bean name is stable and says which pool it is.
 *
 * <p>Runs before initialization, after {@code @ConfigurationProperties} binding (an ordered
 * post-processor), so a bound {@code name} wins. A pool built from a {@link PoolConfig} has started
 * and keeps its name.
 */
class PoolBeanNamePostProcessor implements BeanPostProcessor {

    private static final String DEFAULT_NAME = new PoolConfig().getName();

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
        if (bean instanceof PoolDataSource pool && !pool.isStarted() && !pool.isClosed()
                && DEFAULT_NAME.equals(pool.getName())) {
            pool.setName(beanName);
        }
        return bean;
    }
}
