package dev.pool.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The embedded database starts only when none is configured; that it does start is shown by the endpoint tests. */
class EmbeddedPostgresConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withUserConfiguration(EmbeddedPostgresConfiguration.class);

    @ParameterizedTest
    @ValueSource(strings = { "pool.url", "spring.datasource.url" })
    void configuredDatabaseKeepsEmbeddedOneFromStarting(String property) {
        contextRunner.withPropertyValues(property + "=jdbc:postgresql://db.example.com/app")
                .run((context) -> assertThat(context).doesNotHaveBean(EmbeddedPostgres.class)
                        .doesNotHaveBean(JdbcConnectionDetails.class));
    }
}
