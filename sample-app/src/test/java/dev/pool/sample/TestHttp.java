package dev.pool.sample;

import org.springframework.web.client.RestClient;

/** HTTP clients for the tests, which look at every status themselves rather than catch exceptions. */
public final class TestHttp {

    private TestHttp() {
    }

    /** A client for {@code http://localhost:port}. */
    public static RestClient localhost(int port) {
        return RestClient.builder()
                .baseUrl("http://localhost:" + port)
                .defaultStatusHandler((status) -> true, (request, response) -> { })
                .build();
    }
}
