package dev.pool.sample.trouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pool.EvictionReason;
import dev.pool.PoolDataSource;
import dev.pool.RejectionReason;
import dev.pool.sample.SampleAppTest;
import dev.pool.sample.TestHttp;
import dev.pool.sample.trouble.TroubleController.LeakView;
import dev.pool.sample.trouble.TroubleController.NestedResult;
import dev.pool.sample.trouble.TroubleController.SlowQueryResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/**
 * {@code GET /slow}, {@code POST /leak} and {@code POST /nested}, and the pool's answers to a leak and a
 * pool deadlock: {@link SampleAppTest}
 * sets leak detection to 1s and abandonment to 2s.
 */
@SampleAppTest
class TroubleEndpointsTests {

    @LocalServerPort
    private int port;

    @Autowired
    private PoolDataSource pool;

    private RestClient http;

    @BeforeEach
    void client() {
        http = TestHttp.localhost(port);
    }

    @AfterEach
    void everyLeakReclaimed() {
        await().atMost(Duration.ofSeconds(10)).until(() -> leaks().stream().allMatch(LeakView::reclaimed));
    }

    @Test
    void slowQueryHoldsItsConnectionForTheTimeAsked() {
        SlowQueryResult result = http.get().uri("/slow?seconds=0.5").retrieve().body(SlowQueryResult.class);

        assertThat(result.tookMs()).isGreaterThanOrEqualTo(500);
        assertThat(result.backendPid()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = { "0", "-1", "10.5", "NaN" })
    void slowQueryRejectsSecondsOutOfBounds(String seconds) {
        assertThat(http.get().uri("/slow?seconds={s}", seconds).retrieve().toBodilessEntity().getStatusCode())
                .isEqualTo(HttpStatus.BAD_REQUEST);
    }

    @Test
    void leakedConnectionIsReclaimedByThePool() {
        long abandonedBefore = pool.stats().evictions().get(EvictionReason.ABANDONED);

        ResponseEntity<LeakView> leaked = http.post().uri("/leak").retrieve().toEntity(LeakView.class);

        assertThat(leaked.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        int backendPid = leaked.getBody().backendPid();
        assertThat(leaked.getBody().reclaimed()).isFalse();
        assertThat(pool.connections()).anySatisfy((connection) -> assertThat(connection.state()).isEqualTo("active"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(leaks()).anySatisfy((leak) -> {
            assertThat(leak.backendPid()).isEqualTo(backendPid);
            assertThat(leak.reclaimed()).isTrue();
            assertThat(leak.nextCallFails()).containsIgnoringCase("reclaimed");
        }));
        assertThat(pool.stats().evictions().get(EvictionReason.ABANDONED)).isGreaterThan(abandonedBefore);
    }

    @Test
    void leaksAreBoundedSoTheDemoCannotDrainThePool() {
        for (int i = 0; i < ConnectionLeaker.MAX_HELD; i++) {
            assertThat(http.post().uri("/leak").retrieve().toBodilessEntity().getStatusCode()).isEqualTo(HttpStatus.CREATED);
        }

        assertThat(http.post().uri("/leak").retrieve().toBodilessEntity().getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
    }

    @Test
    void nestedTransactionsWithinThePoolAreServed() {
        NestedResult result = http.post().uri("/nested?depth=3").retrieve().body(NestedResult.class);

        assertThat(result.depth()).isEqualTo(3);
    }

    @Test
    void nestedTransactionsDeeperThanThePoolFailAtOnceAsAPoolDeadlock() {
        int depth = pool.stats().maxSize() + 1;
        long deadlocksBefore = pool.stats().rejections().get(RejectionReason.DEADLOCK);

        ResponseEntity<ProblemDetail> refused = http.post().uri("/nested?depth={d}", depth).retrieve()
                .toEntity(ProblemDetail.class);

        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(refused.getBody().getDetail()).contains("deadlock", "NestedTransactions.nest(",
                "The smallest safe max-size is " + depth);
        assertThat(pool.stats().rejections().get(RejectionReason.DEADLOCK)).isEqualTo(deadlocksBefore + 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().active() == 0);
    }

    @ParameterizedTest
    @ValueSource(strings = { "0", "101" })
    void nestedRejectsDepthOutOfBounds(String depth) {
        assertThat(http.post().uri("/nested?depth={d}", depth).retrieve().toBodilessEntity().getStatusCode())
                .isEqualTo(HttpStatus.BAD_REQUEST);
    }

    private List<LeakView> leaks() {
        return http.get().uri("/leak").retrieve().body(new ParameterizedTypeReference<List<LeakView>>() { });
    }
}
