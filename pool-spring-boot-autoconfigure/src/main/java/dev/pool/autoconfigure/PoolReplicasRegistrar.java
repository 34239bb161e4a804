package dev.pool.autoconfigure;

import dev.pool.CredentialsProvider;
import dev.pool.PoolDataSource;
import dev.pool.ReplicaMonitor;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * With {@code pool.replicas[n].*} set, registers one {@link PoolDataSource} bean per replica
 * ({@code dataSourceReplica<n>}), the {@link ReplicaMonitor} that checks them, and the
 * {@link ReplicaRoutingPostProcessor} that turns the {@code dataSource} bean into a router. Bean
 * definitions, not {@code @Bean} methods, because their number comes from the configuration.
 *
 * <p>The replica pools are beans so that everything that looks for pools among the
 * {@code DataSource} beans (metrics, health, the {@code pool} endpoint, CRaC, Boot's pool metadata)
 * shows them, and the context closes them. They are no default candidates (as the second data source
 * in Boot's "two DataSources" recipe), so injecting a {@code DataSource}, and what Boot wires to the one
 * data source (Flyway, Liquibase, {@code JdbcTemplate}, the transaction manager), still gets the
 * application's {@code dataSource} alone.
 */
class PoolReplicasRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

    static final String FACTORY_BEAN_NAME = "poolReplicaFactory";
    static final String MONITOR_BEAN_NAME = "poolReplicaMonitor";
    static final String REPLICA_BEAN_NAME_PREFIX = "dataSourceReplica";

    private Environment environment;
    private BeanFactory beanFactory;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        int replicas = Binder.get(environment)
                .bind("pool.replicas", Bindable.listOf(PoolProperties.Replica.class))
                .map(List::size)
                .orElse(0);
        if (replicas == 0) {
            return;
        }
        BeanFactory factory = beanFactory;
        registry.registerBeanDefinition(FACTORY_BEAN_NAME, definition(PoolReplicaFactory.class, () -> {
            PoolProperties properties = factory.getBean(PoolProperties.class);
            return new PoolReplicaFactory(properties,
                    PoolAutoConfiguration.PoolDataSourceConfiguration.poolName(properties,
                            factory.getBean(DataSourceProperties.class)),
                    factory.getBean(JdbcConnectionDetails.class), factory.getBeanProvider(CredentialsProvider.class));
        }));
        List<String> replicaNames = new ArrayList<>();
        for (int index = 0; index < replicas; index++) {
            int replica = index;
            String name = REPLICA_BEAN_NAME_PREFIX + index;
            RootBeanDefinition pool = definition(PoolDataSource.class,
                    () -> factory.getBean(FACTORY_BEAN_NAME, PoolReplicaFactory.class).replica(replica));
            pool.setDestroyMethodName("close");
            pool.setDefaultCandidate(false);
            pool.setDependsOn(FACTORY_BEAN_NAME);
            registry.registerBeanDefinition(name, pool);
            replicaNames.add(name);
        }
        RootBeanDefinition monitor = definition(ReplicaMonitor.class, () -> {
            List<PoolDataSource> pools = new ArrayList<>();
            for (String name : replicaNames) {
                pools.add(factory.getBean(name, PoolDataSource.class));
            }
            return factory.getBean(FACTORY_BEAN_NAME, PoolReplicaFactory.class).replicaMonitor(pools);
        });
        monitor.setDestroyMethodName("close");
        monitor.setDependsOn(replicaNames.toArray(String[]::new)); // closed before the pools it checks
        registry.registerBeanDefinition(MONITOR_BEAN_NAME, monitor);
        RootBeanDefinition postProcessor = definition(ReplicaRoutingPostProcessor.class,
                () -> new ReplicaRoutingPostProcessor(factory));
        postProcessor.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
        registry.registerBeanDefinition("poolReplicaRoutingPostProcessor", postProcessor);
    }

    private static <T> RootBeanDefinition definition(Class<T> type, java.util.function.Supplier<T> supplier) {
        return new RootBeanDefinition(type, supplier);
    }
}
