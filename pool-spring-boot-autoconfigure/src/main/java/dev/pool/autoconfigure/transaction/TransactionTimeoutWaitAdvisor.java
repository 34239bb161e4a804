package dev.pool.autoconfigure.transaction;

import dev.pool.WaitBudget;
import java.lang.reflect.Method;
import java.time.Duration;
import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.boot.transaction.autoconfigure.TransactionProperties;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.AnnotationTransactionAttributeSource;
import org.springframework.transaction.interceptor.BeanFactoryTransactionAttributeSourceAdvisor;
import org.springframework.transaction.interceptor.TransactionAttribute;
import org.springframework.transaction.interceptor.TransactionAttributeSource;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Bounds the wait for a transaction's connection by the transaction's timeout
 * ({@code @Transactional(timeout = ...)}, else {@code spring.transaction.default-timeout}).
 *
 * <p>Spring fetches the connection in the transaction manager's {@code doBegin}, before it starts the
 * transaction's deadline and before anything on the thread says what the timeout is: the
 * {@code TransactionExecutionListener} it calls first sees no timeout, and
 * {@code AbstractPlatformTransactionManager.getTransaction} is final, so a proxy cannot see it either.
 * This advice therefore runs just outside the transaction interceptor (its order is one before the
 * transaction advisor's), reads {@code @Transactional} as Spring's default attribute source does (its
 * own {@link AnnotationTransactionAttributeSource}: taking the context's would make the proxy creator
 * build the transaction infrastructure while it is being built), and opens a {@link WaitBudget} for the call: every {@code getConnection()} of the pool on this thread,
 * the transaction's own first, waits at most until the transaction's deadline, which is when Spring
 * would fail the transaction anyway.
 *
 * <p>Only where the call begins a transaction: {@code REQUIRES_NEW} always, {@code REQUIRED} and
 * {@code NESTED} when none is active; a method that joins a transaction keeps the outer deadline, as
 * Spring ignores the inner timeout. Programmatic transactions ({@code TransactionTemplate}) never pass
 * through here: wrap them in {@link WaitBudget#limit} where it matters.
 */
final class TransactionTimeoutWaitAdvisor extends AbstractPointcutAdvisor {

    private final TransactionAttributeSource attributeSource;

    private final ConfigurableListableBeanFactory beanFactory;

    private final ObjectProvider<TransactionProperties> transactionProperties;

    private final Pointcut pointcut = new StaticMethodMatcherPointcut() {
        @Override
        public boolean matches(Method method, Class<?> targetClass) {
            TransactionAttribute attribute = attributeOf(method, targetClass);
            return attribute != null && timeoutOf(attribute) != null;
        }
    };

    private final MethodInterceptor advice = this::invoke;

    TransactionTimeoutWaitAdvisor(ConfigurableListableBeanFactory beanFactory,
            ObjectProvider<TransactionProperties> transactionProperties) {
        AnnotationTransactionAttributeSource annotations = new AnnotationTransactionAttributeSource(false);
        annotations.setEmbeddedValueResolver(new EmbeddedValueResolver(beanFactory));
        this.attributeSource = annotations;
        this.beanFactory = beanFactory;
        this.transactionProperties = transactionProperties;
    }

    @Override
    public Pointcut getPointcut() {
        return pointcut;
    }

    @Override
    public Advice getAdvice() {
        return advice;
    }

    /**
     * One before the transaction advisor, so that this advice runs outside it, around its begin. The
     * proxy creator creates every advisor before it proxies an application bean, so the transaction
     * advisor is there to ask by then; asking for it earlier (while the infrastructure itself is being
     * built) would be a cycle, and nothing built then is transactional.
     */
    @Override
    public int getOrder() {
        int order = LOWEST_PRECEDENCE;
        for (String name : beanFactory.getBeanNamesForType(BeanFactoryTransactionAttributeSourceAdvisor.class, false, false)) {
            if (beanFactory.containsSingleton(name)) {
                order = Math.min(order, beanFactory.getBean(name, BeanFactoryTransactionAttributeSourceAdvisor.class).getOrder());
            }
        }
        return (order == HIGHEST_PRECEDENCE) ? order : order - 1;
    }

    private Object invoke(MethodInvocation invocation) throws Throwable {
        Class<?> targetClass = (invocation.getThis() != null) ? AopUtils.getTargetClass(invocation.getThis()) : null;
        TransactionAttribute attribute = attributeOf(invocation.getMethod(), targetClass);
        Duration timeout = (attribute != null && beginsTransaction(attribute)) ? timeoutOf(attribute) : null;
        if (timeout == null) {
            return invocation.proceed();
        }
        try (WaitBudget.Scope budget = WaitBudget.limit(timeout)) {
            return invocation.proceed();
        }
    }

    private TransactionAttribute attributeOf(Method method, Class<?> targetClass) {
        return attributeSource.getTransactionAttribute(method, targetClass);
    }

    private Duration timeoutOf(TransactionAttribute attribute) {
        int seconds = attribute.getTimeout();
        if (seconds == TransactionDefinition.TIMEOUT_DEFAULT) {
            TransactionProperties properties = transactionProperties.getIfAvailable();
            Duration timeout = (properties != null) ? properties.getDefaultTimeout() : null;
            return (timeout != null && !timeout.isZero() && !timeout.isNegative()) ? timeout : null;
        }
        return (seconds > 0) ? Duration.ofSeconds(seconds) : null;
    }

    private static boolean beginsTransaction(TransactionAttribute attribute) {
        return switch (attribute.getPropagationBehavior()) {
            case TransactionDefinition.PROPAGATION_REQUIRES_NEW -> true;
            case TransactionDefinition.PROPAGATION_REQUIRED, TransactionDefinition.PROPAGATION_NESTED ->
                !TransactionSynchronizationManager.isActualTransactionActive();
            default -> false;
        };
    }
}
