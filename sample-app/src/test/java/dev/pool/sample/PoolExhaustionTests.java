package dev.pool.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.PoolDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** A request that gets no connection is answered 503 with the pool's reason, not a bare 500. */
@SampleAppTest
class PoolExhaustionTests {

    @LocalServerPort
    private int port;

    @Autowired
    private PoolDataSource pool;

    private int minIdle;
    private int maxSize;

    @AfterEach
    void restoreSize() {
        pool.resize(minIdle, maxSize);
    }

    @Test
    void requestWithoutConnectionIsServiceUnavailable() {
        minIdle = pool.getMinIdle();
        maxSize = pool.stats().maxSize();
        pool.resize(0, 0); // max-size 0: every getConnection fails at once

        ResponseEntity<ProblemDetail> response = TestHttp.localhost(port).get().uri("/items").retrieve()
                .toEntity(ProblemDetail.class);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(response.getBody().getDetail()).contains("sample");
    }
}
