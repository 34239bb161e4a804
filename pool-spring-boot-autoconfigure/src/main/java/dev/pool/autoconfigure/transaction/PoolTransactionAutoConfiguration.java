package dev.pool.autoconfigure.transaction;

import dev.pool.PoolDataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.transaction.interceptor.BeanFactoryTransactionAttributeSourceAdvisor;

/**
 * Lets {@code @Transactional(timeout = ...)} bound the pool's wait for the transaction's connection
 * (see {@link TransactionTimeoutWaitAdvisor}); {@code pool.transaction-timeout-bounds-wait=false}
 * turns it off. Only where Spring manages transactions by annotation (its transaction advisor is
 * declared, as {@code @EnableTransactionManagement} and Boot's {@code TransactionAutoConfiguration} do).
 * The advisor is an infrastructure bean so that the proxy creator Spring registers for transactions
 * applies it, with or without AspectJ.
 */
@AutoConfiguration(after = TransactionAutoConfiguration.class)
@ConditionalOnClass({ PoolDataSource.class, BeanFactoryTransactionAttributeSourceAdvisor.class })
@ConditionalOnBean(BeanFactoryTransactionAttributeSourceAdvisor.class)
@ConditionalOnProperty(prefix = "pool", name = { "enabled", "transaction-timeout-bounds-wait" }, matchIfMissing = true)
public final class PoolTransactionAutoConfiguration {

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static TransactionTimeoutWaitAdvisor poolTransactionTimeoutWaitAdvisor(ConfigurableListableBeanFactory beanFactory,
            ObjectProvider<TransactionProperties> transactionProperties) {
        return new TransactionTimeoutWaitAdvisor(beanFactory, transactionProperties);
    }
}
