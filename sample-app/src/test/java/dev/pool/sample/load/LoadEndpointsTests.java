package dev.pool.sample.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pool.PoolDataSource;
import dev.pool.sample.SampleAppTest;
import dev.pool.sample.TestHttp;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

/** {@code POST/GET/DELETE /load}: bounds, one run at a time, and runs that end by themselves. */
@SampleAppTest
class LoadEndpointsTests {

    @LocalServerPort
    private int port;

    @Autowired
    private PoolDataSource pool;

    @Autowired
    private JdbcClient jdbc;

    private RestClient http;

    @BeforeEach
    void client() {
        http = TestHttp.localhost(port);
    }

    @AfterEach
    void noRunLeftBehind() {
        http.delete().uri("/load").retrieve().toBodilessEntity();
        await().atMost(Duration.ofSeconds(10)).until(() -> !running());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"threads": 0}                              | threads = 0: must be between 1 and 64
            {"threads": 65}                             | threads = 65: must be between 1 and 64
            {"durationSeconds": 0}                      | durationSeconds = 0: must be between 1 and 300
            {"durationSeconds": 301}                    | durationSeconds = 301: must be between 1 and 300
            {"mix": {"read": -1}}                       | mix.read = -1: must be a weight between 0 and 1000
            {"mix": {"read": 1001}}                     | mix.read = 1001: must be a weight between 0 and 1000
            {"mix": {"delete": 1}}                      | mix.delete: unknown operation, use read, write, slow
            {"mix": {"read": 0, "write": 0, "slow": 0}} | at least one weight must be above 0
            """)
    void rejectsRequestOutsideBounds(String body, String reason) {
        ResponseEntity<ProblemDetail> response = start(body);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(response.getBody().getDetail()).contains(reason);
        assertThat(running()).isFalse();
    }

    @Test
    void rejectsMalformedRequest() {
        assertThat(start("{\"threads\": \"many\"}").getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    }

    @Test
    void runDrivesRequestsThroughThePoolAndStopsByItself() {
        long borrowedBefore = pool.stats().borrowed();

        ResponseEntity<LoadStatus> started = http.post().uri("/load").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("threads", 4, "durationSeconds", 2, "mix", Map.of("read", 3, "write", 1)))
                .retrieve().toEntity(LoadStatus.class);

        assertThat(started.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(started.getBody().running()).isTrue();
        assertThat(started.getBody().threads()).isEqualTo(4);
        assertThat(started.getBody().mix()).containsExactly(Map.entry("read", 3), Map.entry("write", 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> !running());
        LoadStatus finished = status();
        assertThat(finished.elapsedSeconds()).isBetween(2.0, 8.0);
        assertThat(finished.requests().get("read").ok()).isPositive();
        assertThat(finished.requests().get("write").ok()).isPositive();
        assertThat(finished.requests().get("slow").ok()).isZero();
        assertThat(finished.failed()).as(finished.lastError()).isZero();
        assertThat(pool.stats().borrowed() - borrowedBefore).isGreaterThanOrEqualTo(finished.ok());
        assertThat(jdbc.sql("select count(*) from items where name like 'load-%'").query(Long.class).single())
                .isGreaterThanOrEqualTo(finished.requests().get("write").ok());
    }

    @Test
    void onlyOneRunAtATime() {
        assertThat(start("{\"threads\": 1, \"durationSeconds\": 60}").getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);

        ResponseEntity<ProblemDetail> second = start("{\"threads\": 1, \"durationSeconds\": 1}");

        assertThat(second.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(second.getBody().getDetail()).contains("running already", "DELETE /load");
        assertThat(status().durationSeconds()).isEqualTo(60);
    }

    @Test
    void deleteEndsRunEarly() {
        start("{\"threads\": 2, \"durationSeconds\": 60}");

        http.delete().uri("/load").retrieve().toBodilessEntity();

        await().atMost(Duration.ofSeconds(5)).until(() -> !running());
        assertThat(status().elapsedSeconds()).isLessThan(10);
    }

    @Test
    void moreThreadsThanConnectionsMakeBorrowersWait() {
        long waitsBefore = pool.stats().waits();

        start("{\"threads\": 14, \"durationSeconds\": 2, \"mix\": {\"slow\": 1}}");
        await().atMost(Duration.ofSeconds(10)).until(() -> !running());

        assertThat(pool.stats().waits()).isGreaterThan(waitsBefore);
        assertThat(status().failed()).as(status().lastError()).isZero();
    }

    private ResponseEntity<ProblemDetail> start(String json) {
        return http.post().uri("/load").contentType(MediaType.APPLICATION_JSON).body(json).retrieve()
                .toEntity(ProblemDetail.class);
    }

    /** The current or last run; null before the first. */
    private LoadStatus status() {
        return http.get().uri("/load").retrieve().body(LoadStatus.class);
    }

    private boolean running() {
        LoadStatus status = status();
        return status != null && status.running();
    }
}
