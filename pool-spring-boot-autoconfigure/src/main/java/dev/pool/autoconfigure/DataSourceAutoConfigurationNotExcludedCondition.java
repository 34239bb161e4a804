package dev.pool.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches unless the application excluded Boot's {@link DataSourceAutoConfiguration}
 * ({@code @SpringBootApplication(exclude = ...)}, {@code @EnableAutoConfiguration(exclude = ...)},
 * {@code spring.autoconfigure.exclude}): that is how Boot users say "no DataSource here", and with
 * HikariCP they then get none.
 *
 * <p>Boot records every exclusion in the {@link ConditionEvaluationReport} while it selects the
 * auto-configurations, before it evaluates their conditions, so the report answers here.
 */
class DataSourceAutoConfigurationNotExcludedCondition extends SpringBootCondition {

    private static final String DATA_SOURCE_AUTO_CONFIGURATION = DataSourceAutoConfiguration.class.getName();

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConditionMessage.Builder message = ConditionMessage.forCondition("DataSourceAutoConfiguration not excluded");
        ConditionEvaluationReport report = (context.getBeanFactory() != null)
                ? ConditionEvaluationReport.get(context.getBeanFactory()) : null;
        if (report != null && report.getExclusions().contains(DATA_SOURCE_AUTO_CONFIGURATION)) {
            return ConditionOutcome.noMatch(message.because(DATA_SOURCE_AUTO_CONFIGURATION + " is excluded"));
        }
        return ConditionOutcome.match(message.because(DATA_SOURCE_AUTO_CONFIGURATION + " is not excluded"));
    }
}
