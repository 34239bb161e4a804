package dev.pool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.PoolDataSource;
import dev.pool.PoolMXBean;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;

class PoolRuntimeHintsTests {

    @Test
    void isFoundInAotFactoriesAsAotProcessingFindsIt() {
        assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class)).hasAtLeastOneElementOfType(PoolRuntimeHints.class);
    }

    @Test
    void letsDataSourceBuilderCreateAndConfigureThePoolByReflection() {
        RuntimeHints hints = new RuntimeHints();
        new PoolRuntimeHints().registerHints(hints, getClass().getClassLoader());

        assertThat(RuntimeHintsPredicates.reflection().onType(PoolDataSource.class)
                .withMemberCategories(MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS, MemberCategory.INVOKE_PUBLIC_METHODS))
                .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(PoolDataSource.class, "setUrl")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(PoolDataSource.class, "setLoginTimeout"))
                .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(PoolMXBean.class, "evictIdle")).accepts(hints);
    }
}
