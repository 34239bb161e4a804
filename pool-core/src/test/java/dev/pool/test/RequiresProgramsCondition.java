package dev.pool.test;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Evaluates {@link RequiresPrograms}: enabled when every program named is installed; otherwise
 * disabled with a reason starting {@value #REASON_PREFIX}, or failed when
 * {@value #REQUIRE_PROPERTY} is {@code true}.
 */
public final class RequiresProgramsCondition implements ExecutionCondition {

    /** Set to {@code true} to fail, not skip, a test whose program is missing (CI sets it). */
    public static final String REQUIRE_PROPERTY = "pool.test.require-programs";

    /** How every skip reason of this condition starts, so {@link MissingProgramsReport} can tell them apart. */
    static final String REASON_PREFIX = "Missing program: ";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<RequiresPrograms> required = AnnotationSupport.findAnnotation(context.getElement(), RequiresPrograms.class);
        if (required.isEmpty()) {
            return ConditionEvaluationResult.enabled("no program required");
        }
        List<String> missing = Arrays.stream(required.get().names()).filter(name -> Programs.find(name).isEmpty()).toList();
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled("installed: " + String.join(", ", required.get().names()));
        }
        String reason = REASON_PREFIX + String.join(", ", missing) + (missing.size() == 1 ? " is" : " are")
                + " not installed; install with: " + required.get().install();
        if (context.getConfigurationParameter(REQUIRE_PROPERTY).map(Boolean::parseBoolean).orElse(false)) {
            throw new IllegalStateException(reason + " (" + REQUIRE_PROPERTY + "=true: a missing program fails the test; looked in "
                    + String.join(":", Programs.searchPath()) + ")");
        }
        return ConditionEvaluationResult.disabled(reason);
    }
}
