package dev.pool.test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Ends a module's test run with the tests {@link RequiresPrograms} skipped, how many and why, so a
 * green build on a machine without PgBouncer or Chromium says what it did not run. Registered for
 * every module that has pool-core's test jar through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}; silent when nothing
 * was skipped for a missing program.
 */
public final class MissingProgramsReport implements TestExecutionListener {

    /** Skipped class or method, to the number of test methods in it and the reason. */
    private final Map<String, Skip> skipped = new LinkedHashMap<>();
    private TestPlan plan;

    private record Skip(int tests, String reason) {
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
        skipped.clear();
    }

    @Override
    public void executionSkipped(TestIdentifier identifier, String reason) {
        if (plan == null || reason == null || !reason.startsWith(RequiresProgramsCondition.REASON_PREFIX)) {
            return;
        }
        skipped.put(name(identifier), new Skip(testMethods(identifier), reason.substring(RequiresProgramsCondition.REASON_PREFIX.length())));
    }

    private static String name(TestIdentifier identifier) {
        Optional<TestSource> source = identifier.getSource();
        if (source.isPresent() && source.get() instanceof MethodSource method) {
            return simpleName(method.getClassName()) + "." + method.getMethodName();
        }
        if (source.isPresent() && source.get() instanceof ClassSource type) {
            return simpleName(type.getClassName());
        }
        return identifier.getDisplayName();
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    /** Test methods at or under {@code identifier}; a parameterized one counts once, as its invocations are not known before it runs. */
    private int testMethods(TestIdentifier identifier) {
        Set<TestSource> methods = plan.getDescendants(identifier).stream()
                .map(TestIdentifier::getSource).flatMap(Optional::stream)
                .filter(MethodSource.class::isInstance).collect(Collectors.toSet());
        if (identifier.getSource().filter(MethodSource.class::isInstance).isPresent()) {
            methods.add(identifier.getSource().get());
        }
        return Math.max(1, methods.size());
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (skipped.isEmpty()) {
            return;
        }
        int total = skipped.values().stream().mapToInt(Skip::tests).sum();
        StringBuilder report = new StringBuilder();
        report.append("[pool-test] SKIPPED ").append(total).append(total == 1 ? " test" : " tests")
                .append(": a program they drive is not installed (")
                .append("-D").append(RequiresProgramsCondition.REQUIRE_PROPERTY).append("=true fails them instead, as CI does)\n");
        skipped.forEach((name, skip) -> report.append("[pool-test]   ").append(name).append(" (").append(skip.tests())
                .append(skip.tests() == 1 ? " test" : " tests").append("): ").append(skip.reason()).append('\n'));
        System.out.print(report);
        System.out.flush();
    }
}
