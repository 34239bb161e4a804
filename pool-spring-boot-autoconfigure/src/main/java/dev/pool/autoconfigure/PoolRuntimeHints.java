package dev.pool.autoconfigure;

import dev.pool.PoolDataSource;
import dev.pool.PoolMXBean;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * The reflection a GraalVM native image must be told about; on the JVM, with AOT or without, none is
 * needed. Boot's {@code DataSourceBuilder} ({@code spring.datasource.type}, {@code derivedFrom},
 * the two-pools recipe) knows its own pools' setters but finds those of any other type by name, so
 * {@link PoolDataSource} needs its public constructors and methods; the JMX MXBean
 * ({@code pool.register-mbeans}) is introspected through {@link PoolMXBean}. Everything else the
 * starter does is plain code, and Boot registers what its configuration properties and the
 * endpoint's responses need. Listed in {@code META-INF/spring/aot.factories}.
 */
class PoolRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        hints.reflection().registerType(PoolDataSource.class, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS,
                MemberCategory.INVOKE_PUBLIC_METHODS);
        hints.reflection().registerType(PoolMXBean.class, MemberCategory.INVOKE_PUBLIC_METHODS);
    }
}
