package dev.pool.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.util.ClassUtils;

/**
 * The applications here take Boot's starters as users do, with HikariCP excluded as the README
 * says: none of Boot's own pools may reach the classpath, or Boot, not the starter, would be
 * tested.
 */
class ClasspathTests {

    @Test
    void noneOfBootsOwnPoolsIsOnTheClasspath() {
        assertThat(ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource", null)).isFalse();
        assertThat(DataSourceBuilder.findType(getClass().getClassLoader())).isNull();
    }
}
