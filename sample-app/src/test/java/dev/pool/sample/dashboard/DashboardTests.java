package dev.pool.sample.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.sample.SampleAppTest;
import dev.pool.sample.TestHttp;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/**
 * What the dashboard page needs from the two servers, checked over plain HTTP; the page itself
 * runs in {@link DashboardBrowserTests}.
 */
@SampleAppTest
class DashboardTests {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT =
            new ParameterizedTypeReference<>() { };

    @LocalServerPort
    private int port;

    @LocalManagementPort
    private int managementPort;

    @Test
    void pageAndChartLibraryAreServedByTheApp() {
        RestClient app = TestHttp.localhost(port);

        ResponseEntity<String> page = app.get().uri("/").retrieve().toEntity(String.class);
        assertThat(page.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(page.getBody()).contains("id=\"connections-chart\"", "webjars/chart.js/dist/chart.umd.min.js");

        ResponseEntity<String> chartJs = app.get().uri("/webjars/chart.js/dist/chart.umd.min.js").retrieve()
                .toEntity(String.class);
        assertThat(chartJs.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(chartJs.getBody()).contains("Chart.js");
        assertThat(app.get().uri("/dashboard.js").retrieve().toBodilessEntity().getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void configPointsThePageAtTheManagementServer() {
        Map<String, Object> config = TestHttp.localhost(port).get().uri("/dashboard/config").retrieve().body(JSON_OBJECT);

        assertThat(config).containsEntry("pool", "sample")
                .containsEntry("actuator", "http://localhost:" + managementPort + "/actuator");
    }

    @Test
    void managementServerExposesPoolHealthMetricsAndPrometheus() {
        RestClient management = TestHttp.localhost(managementPort);

        Map<String, Object> index = management.get().uri("/actuator").retrieve().body(JSON_OBJECT);
        assertThat(index).extractingByKey("_links").asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsKeys("pool", "health", "metrics", "prometheus");
        assertThat(management.get().uri("/actuator/pool/sample").retrieve().toBodilessEntity().getStatusCode())
                .isEqualTo(HttpStatus.OK);
        assertThat(management.get().uri("/actuator/prometheus").retrieve().body(String.class))
                .contains("pool_connections_active{", "pool_connections_acquire_seconds_bucket{");
        assertThat(TestHttp.localhost(port).get().uri("/actuator/pool").retrieve().toBodilessEntity().getStatusCode())
                .as("the actuator is on the management port only").isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void managementServerRunsThePoolActionsTheButtonsCall() {
        // off by default; the sample switches them on with management.endpoint.pool.access=unrestricted
        ResponseEntity<Map<String, Object>> resumed = TestHttp.localhost(managementPort).post()
                .uri("/actuator/pool/sample")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("action", "resume"))
                .retrieve()
                .toEntity(JSON_OBJECT);

        assertThat(resumed.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(resumed.getBody()).containsEntry("state", "RUNNING");
    }

    @Test
    void managementServerLetsThePageCallThePoolEndpoint() {
        String origin = "http://localhost:" + port;

        ResponseEntity<Void> preflight = TestHttp.localhost(managementPort).method(HttpMethod.OPTIONS)
                .uri("/actuator/pool/sample")
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .retrieve()
                .toBodilessEntity();

        assertThat(preflight.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(preflight.getHeaders().getAccessControlAllowOrigin()).isEqualTo(origin);
        assertThat(preflight.getHeaders().getAccessControlAllowMethods()).contains(HttpMethod.POST);
    }

    @Test
    void managementServerRefusesOtherOrigins() {
        ResponseEntity<Void> preflight = TestHttp.localhost(managementPort).method(HttpMethod.OPTIONS)
                .uri("/actuator/pool/sample")
                .header("Origin", "http://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .retrieve()
                .toBodilessEntity();

        assertThat(preflight.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    }
}
