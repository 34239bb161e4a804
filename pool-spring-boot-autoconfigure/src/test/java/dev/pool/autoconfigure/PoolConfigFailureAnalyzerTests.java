package dev.pool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import dev.pool.PoolConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class PoolConfigFailureAnalyzerTests {

    private final PoolConfigFailureAnalyzer analyzer = new PoolConfigFailureAnalyzer();

    @Test
    void describesPropertyValueAndRule() {
        FailureAnalysis analysis = analyzer.analyze(new PoolConfigException("pool.max-size", -1, "must be 0 or more"));
        assertThat(analysis.getDescription()).isEqualTo("Invalid pool configuration: pool.max-size = -1: must be 0 or more");
        assertThat(analysis.getAction())
                .isEqualTo("Change pool.max-size in your configuration (application.yml/properties): must be 0 or more.");
    }

    @Test
    void missingUrlSuggestsWhereToSetIt() {
        FailureAnalysis analysis = analyzer.analyze(new PoolConfigException("pool.url", null, "a JDBC URL is required"));
        assertThat(analysis.getAction()).contains("pool.url", "spring.datasource.url", "embedded database");
    }

    @Test
    void unusableUrlIsReportedAsTheValueItIs() {
        FailureAnalysis analysis = analyzer.analyze(
                new PoolConfigException("pool.url", "jdbc:nothing:here", "no JDBC driver on the classpath accepts it"));
        assertThat(analysis.getAction()).startsWith("Change pool.url in your configuration");
    }

    /** Also proves the analyzer is registered: only it writes this report. */
    @Test
    void startUpFailureReportNamesTheProperty(CapturedOutput output) {
        SpringApplication application = new SpringApplication(Application.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatException().isThrownBy(() -> application.run("--pool.url=jdbc:stub:never-used", "--pool.max-size=-1"));
        assertThat(output).contains("APPLICATION FAILED TO START",
                "Invalid pool configuration: pool.max-size = -1: must be 0 or more",
                "Change pool.max-size in your configuration");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
    }
}
