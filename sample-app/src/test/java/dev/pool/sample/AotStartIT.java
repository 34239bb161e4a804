package dev.pool.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sample app as users run it ahead-of-time processed: the jar {@code package} built, with the
 * context {@code spring-boot:process-aot} generated, started with {@code -Dspring.aot.enabled=true}
 * in a JVM of its own, on its embedded PostgreSQL. The pool must be the application's
 * {@code DataSource} there and answer on the actuator, as it does without AOT.
 */
class AotStartIT {

    /** A start on 2 busy cores, embedded PostgreSQL included, has taken over a minute. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

    private static final Pattern TOMCAT_PORT = Pattern.compile("Tomcat started on port (\\d+)");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private Process app;

    @Test
    void startsFromTheAotProcessedJarWithThePoolAsItsDataSource() throws Exception {
        Path jar = Path.of(System.getProperty("sample.jar", "target/sample-app-0.1.0-SNAPSHOT.jar"));
        assertThat(jar).as("the packaged sample app (run `./mvnw verify`, which packages it before this test)").exists();
        try (JarFile contents = new JarFile(jar.toFile())) {
            assertThat(contents.getEntry("BOOT-INF/classes/dev/pool/sample/SampleApplication__ApplicationContextInitializer.class"))
                    .as("the context spring-boot:process-aot generated, in the jar").isNotNull();
        }
        Path log = jar.resolveSibling("aot-start-it.log");
        app = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", // a quicker start for a short-lived JVM
                "-Dspring.aot.enabled=true", "-jar", jar.toString(),
                "--server.port=0", "--management.server.port=0", "--spring.main.banner-mode=off")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();

        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            String output = Files.readString(log);
            assertThat(app.isAlive()).as("the app exited with %s:%n%s", app.isAlive() ? "" : app.exitValue(), output).isTrue();
            return output.contains("Started SampleApplication");
        });
        String output = Files.readString(log);
        assertThat(output).contains("Starting AOT-processed SampleApplication").doesNotContain(" ERROR ");
        int[] ports = managementPortFirst(tomcatPorts(output));
        int management = ports[0];
        int application = ports[1];

        DocumentContext before = json(management, "/actuator/pool");
        assertThat(before.read("$.pools.sample.state", String.class)).isEqualTo("RUNNING");
        long borrowed = before.read("$.pools.sample.counters.borrowed", Long.class);

        HttpResponse<String> items = get(application, "/items?limit=1");
        assertThat(items.statusCode()).as(items.body()).isEqualTo(200);

        assertThat(json(management, "/actuator/pool").read("$.pools.sample.counters.borrowed", Long.class))
                .as("the app's queries borrowed from the pool").isGreaterThan(borrowed);
        // Boot's own pool metadata for the bean named dataSource: answered by the pool, with its max-size
        assertThat(json(management, "/actuator/metrics/jdbc.connections.max?tag=name:dataSource")
                .read("$.measurements[0].value", Double.class)).isEqualTo(10.0);
        DocumentContext health = json(management, "/actuator/health");
        assertThat(health.read("$.components.pool.status", String.class)).isEqualTo("UP");
        assertThat(health.read("$.components.db.status", String.class)).isEqualTo("UP");
    }

    @AfterEach
    void stopTheApp() throws InterruptedException {
        if (app == null) {
            return;
        }
        List<ProcessHandle> children = app.descendants().toList(); // its embedded PostgreSQL
        app.destroy(); // a graceful stop: the app closes the pool and stops its database
        if (!app.waitFor(60, TimeUnit.SECONDS)) {
            app.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static List<Integer> tomcatPorts(String output) {
        List<Integer> ports = new ArrayList<>();
        Matcher matcher = TOMCAT_PORT.matcher(output);
        while (matcher.find()) {
            ports.add(Integer.parseInt(matcher.group(1)));
        }
        assertThat(ports).as("the app's and the management server's ports").hasSize(2);
        return ports;
    }

    /** The management server is the one with the pool endpoint; the other is the app. */
    private int[] managementPortFirst(List<Integer> ports) throws IOException, InterruptedException {
        int first = ports.get(0);
        int second = ports.get(1);
        return (get(first, "/actuator/pool").statusCode() == 200) ? new int[] { first, second } : new int[] { second, first };
    }

    private DocumentContext json(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(port, path);
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return JsonPath.parse(response.body());
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
