package dev.pool.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

    @Test
    void defaultsCompareEveryPoolAtEveryClientCountForTenSeconds() {
        LoadOptions options = LoadOptions.parse();

        assertThat(options.pools()).containsExactly(LoadPool.values());
        assertThat(options.workloads()).containsExactly(Workload.SELECT1, Workload.MIXED);
        assertThat(options.clients()).containsExactly(8, 64, 512, 1000);
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.poolSize()).isEqualTo(10);
        assertThat(options.waitTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.embedded()).isTrue();
        assertThat(options.virtualClients()).isEqualTo(ClientThreads.virtualThreadsAvailable() ? List.of(1000) : List.of());
    }

    @Test
    void readsListsAndTimes() {
        LoadOptions options = LoadOptions.parse("--pools", "hikari,pool", "--clients", "64", "--virtual", "none",
                "--duration", "500ms", "--warmup", "1m", "--url", "jdbc:postgresql://db/app", "--workloads", "mixed");

        assertThat(options.pools()).containsExactly(LoadPool.HIKARI, LoadPool.POOL);
        assertThat(options.clients()).containsExactly(64);
        assertThat(options.virtualClients()).isEmpty();
        assertThat(options.duration()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.warmup()).isEqualTo(Duration.ofMinutes(1));
        assertThat(options.embedded()).isFalse();
        assertThat(options.workloads()).containsExactly(Workload.MIXED);
    }

    @Test
    void rejectsWhatItCannotRun() {
        assertThatIllegalArgumentException().isThrownBy(() -> LoadOptions.parse("--pools", "c3p0"))
                .withMessageContaining("pool, hikari, agroal, dbcp2");
        assertThatIllegalArgumentException().isThrownBy(() -> LoadOptions.parse("--clients", "0"));
        assertThatIllegalArgumentException().isThrownBy(() -> LoadOptions.parse("--duration", "soon"));
        assertThatIllegalArgumentException().isThrownBy(() -> LoadOptions.parse("--duration"));
        assertThatIllegalArgumentException().isThrownBy(() -> LoadOptions.parse("--threads", "8"));
    }
}
