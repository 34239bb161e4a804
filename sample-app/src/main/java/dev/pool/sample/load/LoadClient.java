package dev.pool.sample.load;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Calls the app's own endpoints over HTTP, as outside clients would: each request goes through
 * Tomcat, a controller, a transaction and the pool. One client serves all of a run's threads.
 */
class LoadClient {

    private final RestClient http;

    LoadClient(String baseUrl) {
        HttpClient httpClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
        requestFactory.setReadTimeout(Duration.ofSeconds(30));
        this.http = RestClient.builder().baseUrl(baseUrl).requestFactory(requestFactory).build();
    }

    /**
     * Performs one operation; {@code name} makes a written item unique.
     *
     * @throws org.springframework.web.client.RestClientException when the app answers with an error or not at all
     */
    void perform(Operation operation, String name) {
        switch (operation) {
            case READ -> http.get().uri("/items?limit=20").retrieve().toBodilessEntity();
            case WRITE -> http.post().uri("/items")
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("name", name, "quantity", ThreadLocalRandom.current().nextInt(100)))
                    .retrieve()
                    .toBodilessEntity();
            case SLOW -> http.get().uri("/slow?seconds=1").retrieve().toBodilessEntity();
        }
    }
}
