package dev.pool.autoconfigure;

import dev.pool.PoolDataSource;
import dev.pool.ReplicaMonitor;
import java.util.List;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
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
 *
 * <p>Plain definitions (a class, a factory method, an index), no instance suppliers, so that
 * ahead-of-time processing writes them as code. Like a condition, the number of replicas is then
 * decided when {@code process-aot} runs.
 */
class PoolReplicasRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

    static final String FACTORY_BEAN_NAME = "poolReplicaFactory";
    static final String MONITOR_BEAN_NAME = "poolReplicaMonitor";
    static final String REPLICA_BEAN_NAME_PREFIX = "dataSourceReplica";
    static final String POST_PROCESSOR_BEAN_NAME = "poolReplicaRoutingPostProcessor";

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
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
        registry.registerBeanDefinition(FACTORY_BEAN_NAME, new RootBeanDefinition(PoolReplicaFactory.class));
        String[] replicaNames = new String[replicas];
        for (int index = 0; index < replicas; index++) {
            replicaNames[index] = REPLICA_BEAN_NAME_PREFIX + index;
            RootBeanDefinition pool = factoryMethod(PoolDataSource.class, "replica");
            pool.getConstructorArgumentValues().addIndexedArgumentValue(0, index);
            pool.setDestroyMethodName("close");
            pool.setDefaultCandidate(false);
            registry.registerBeanDefinition(replicaNames[index], pool);
        }
        RootBeanDefinition monitor = factoryMethod(ReplicaMonitor.class, "replicaMonitor");
        monitor.setDestroyMethodName("close");
        monitor.setDependsOn(replicaNames); // built after the pools it checks, closed before them
        registry.registerBeanDefinition(MONITOR_BEAN_NAME, monitor);
        RootBeanDefinition postProcessor = new RootBeanDefinition(ReplicaRoutingPostProcessor.class);
        postProcessor.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
        registry.registerBeanDefinition(POST_PROCESSOR_BEAN_NAME, postProcessor);
    }

    /** A bean made by a method of the {@link PoolReplicaFactory} bean. */
    private static RootBeanDefinition factoryMethod(Class<?> type, String method) {
        RootBeanDefinition definition = new RootBeanDefinition(type);
        definition.setFactoryBeanName(FACTORY_BEAN_NAME);
        definition.setFactoryMethodName(method);
        return definition;
    }
}
