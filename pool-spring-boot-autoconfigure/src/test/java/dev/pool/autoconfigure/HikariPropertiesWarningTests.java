package dev.pool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.test.util.TestPropertyValues.Type;
import org.springframework.core.env.StandardEnvironment;

class HikariPropertiesWarningTests {

    private static final String HIKARI_PREFIX = "spring.datasource.hikari.";

    @Test
    void everyHikariKeyBootDocumentsHasAnEquivalentOrAReason() throws IOException {
        assertThat(bootsHikariKeys()).hasSizeGreaterThan(25)
                .allSatisfy((key) -> assertThat(HikariPropertiesWarning.EQUIVALENTS).containsKey(key));
        assertThat(HikariPropertiesWarning.EQUIVALENTS.values())
                .allSatisfy((equivalent) -> assertThat(equivalent).matches("pool\\..*|no equivalent.*"));
    }

    @Test
    void theReadmeTableListsEveryKeyWithItsEquivalent() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String section = readme.substring(readme.indexOf("## Migrating from HikariCP"));
        HikariPropertiesWarning.EQUIVALENTS.forEach((key, equivalent) -> {
            String property = equivalent.startsWith("pool.") ? equivalent.split(" ")[0] : "no equivalent";
            assertThat(section).as(key).containsPattern("\\| `" + HIKARI_PREFIX.replace(".", "\\.") + key
                    + "` \\|[^\\n]*" + property.replace(".", "\\."));
        });
    }

    @Test
    void findsTheKeysInEveryRelaxedForm() {
        StandardEnvironment environment = new StandardEnvironment();
        TestPropertyValues.of("spring.datasource.hikari.maximumPoolSize=5",
                "spring.datasource.hikari.data-source-properties.cachePrepStmts=true").applyTo(environment);
        TestPropertyValues.of("SPRING_DATASOURCE_HIKARI_CONNECTIONTIMEOUT=2000", "SPRING_DATASOURCE_HIKARI_SOMETHINGNEW=1")
                .applyTo(environment, Type.SYSTEM_ENVIRONMENT, "test-systemEnvironment");

        assertThat(HikariPropertiesWarning.keysSet(environment)).containsExactlyInAnyOrder("maximum-pool-size",
                "data-source-properties", "connection-timeout", "somethingnew");
    }

    @Test
    void findsNothingWhenNoneIsSet() {
        StandardEnvironment environment = new StandardEnvironment();
        TestPropertyValues.of("spring.datasource.url=jdbc:stub:x", "pool.max-size=3").applyTo(environment);

        assertThat(HikariPropertiesWarning.keysSet(environment)).isEmpty();
    }

    /** The keys Boot's configuration metadata (in spring-boot-jdbc) documents under {@code spring.datasource.hikari}. */
    private static List<String> bootsHikariKeys() throws IOException {
        List<String> keys = new ArrayList<>();
        Enumeration<URL> files = DataSourceProperties.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json");
        for (URL file : Collections.list(files)) {
            try (InputStream metadata = file.openStream()) {
                List<String> names = JsonPath.parse(metadata).read("$.properties[*].name");
                names.stream().filter((name) -> name.startsWith(HIKARI_PREFIX))
                        .map((name) -> name.substring(HIKARI_PREFIX.length())).forEach(keys::add);
            }
        }
        return keys;
    }
}
