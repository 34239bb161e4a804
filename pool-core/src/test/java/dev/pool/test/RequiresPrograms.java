package dev.pool.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test class or method drives programs from the machine's packages that no Maven artifact
 * brings (PgBouncer, Chromium). Where one is missing it is skipped, with a reason that names the
 * program and the command that installs it, and {@link MissingProgramsReport} lists it at the end
 * of the module's test run: the convention of Testcontainers' {@code disabledWithoutDocker}, so a
 * machine with only a JDK passes {@code ./mvnw verify}.
 *
 * <p>With {@value RequiresProgramsCondition#REQUIRE_PROPERTY}{@code =true} (a system property or
 * JUnit configuration parameter) a missing program fails the test instead: CI's {@code .ci/run}
 * installs the programs and sets it, so there every such test runs.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(RequiresProgramsCondition.class)
public @interface RequiresPrograms {

    /** Executable names, looked up by {@link Programs#find}. */
    String[] names();

    /** The command that installs them all, e.g. {@code apt-get install -y pgbouncer}. */
    String install();
}
