package dev.pool.engine;

import java.security.CodeSource;
import java.util.Objects;

/**
 * Names the code that borrowed a connection: the first frame of the borrowing thread's stack that
 * is not the pool, a JDBC layer (the JDK's, a driver's, a JPA or SQL library's), Spring or the JDK.
 * The pool's own classes are told by their code source (the jar or class directory this class came
 * from), so classes of the application in a package that merely starts like ours still count as
 * the application. Classes generated at run time are skipped too (Spring's CGLIB proxies, whose
 * names hold {@code $$}, ByteBuddy's and Hibernate's): for a {@code @Transactional} method, which
 * borrows before the method itself runs, the site is the code that called it. Walking the stack
 * costs microseconds: only sampled borrows do it.
 */
final class CallSite {

    /** Packages that are never the site: the JDK, JDBC drivers and layers over JDBC, Spring. */
    private static final String[] INFRASTRUCTURE = {
        "java.", "javax.", "jdk.", "sun.", "com.sun.", "jakarta.",
        "org.springframework.", "org.hibernate.", "org.jooq.", "org.mybatis.", "org.apache.ibatis.",
        "org.postgresql.", "com.mysql.", "org.mariadb.", "oracle.jdbc.", "com.microsoft.sqlserver.",
        "org.h2.", "org.hsqldb.", "org.apache.derby.", "net.ttddyy.dsproxy.", "com.p6spy.",
        "io.micrometer.", "io.opentelemetry.",
    };

    /**
     * The pool's own classes, told by name where only a name is known (another thread's stack):
     * everything but {@code dev.pool.*} classes of the application.
     */
    private static final String[] POOL_CLASSES = {
        "dev.pool.engine.", "dev.pool.jdbc.", "dev.pool.micrometer.", "dev.pool.autoconfigure.",
        "dev.pool.PoolDataSource", "dev.pool.WaitBudget", "dev.pool.ReplicaRoutingDataSource",
    };

    private static final CodeSource POOL_CODE = CallSite.class.getProtectionDomain().getCodeSource();

    private static final ClassValue<Boolean> SKIPPED = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            String name = type.getName();
            return isGeneratedOrInfrastructure(name)
                    || name.startsWith("dev.pool.") && Objects.equals(type.getProtectionDomain().getCodeSource(), POOL_CODE);
        }
    };

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private CallSite() {
    }

    /** The calling thread's site, as a stack trace prints a frame; "(unknown)" if every frame is infrastructure. */
    static String ofCaller() {
        return WALKER.walk(frames -> frames
                .filter(frame -> !SKIPPED.get(frame.getDeclaringClass()))
                .findFirst()
                .map(frame -> frame.getClassName() + "." + frame.getMethodName() + "("
                        + (frame.getFileName() != null ? frame.getFileName() + ":" + frame.getLineNumber() : "Unknown Source") + ")")
                .orElse("(unknown)"));
    }

    /** The site on another thread's stack, told by class names alone (the pool's classes by {@link #POOL_CLASSES}). */
    static String of(StackTraceElement[] frames) {
        for (StackTraceElement frame : frames) {
            String name = frame.getClassName();
            if (!isGeneratedOrInfrastructure(name) && !startsWithAny(name, POOL_CLASSES)) {
                return frame.toString();
            }
        }
        return "(unknown)";
    }

    private static boolean isGeneratedOrInfrastructure(String name) {
        return name.contains("$$") || name.contains("$ByteBuddy$") || name.contains("$HibernateProxy$")
                || startsWithAny(name, INFRASTRUCTURE);
    }

    private static boolean startsWithAny(String name, String[] prefixes) {
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
