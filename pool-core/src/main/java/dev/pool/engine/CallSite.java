package dev.pool.engine;

import java.security.CodeSource;
import java.util.Objects;

/**
 * Names the code that borrowed a connection: the first frame of the borrowing thread's stack that
 * is not the pool, a JDBC layer (the JDK's, a driver's, a JPA or SQL library's), Spring or the JDK.
 * The pool's own classes are told by their code source (the jar or class directory this class came
 * from), so classes of the application in a package that merely starts like ours still count as
 * the application. Walking the stack costs microseconds: only sampled borrows do it.
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

    private static final CodeSource POOL_CODE = CallSite.class.getProtectionDomain().getCodeSource();

    private static final ClassValue<Boolean> SKIPPED = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            String name = type.getName();
            for (String prefix : INFRASTRUCTURE) {
                if (name.startsWith(prefix)) {
                    return true;
                }
            }
            return name.startsWith("dev.pool.") && Objects.equals(type.getProtectionDomain().getCodeSource(), POOL_CODE);
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
}
