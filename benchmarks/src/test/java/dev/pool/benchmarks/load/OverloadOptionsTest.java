package dev.pool.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OverloadOptionsTest {

    @Test
    void defaultsAreIssue14sScenario() {
        OverloadOptions options = OverloadOptions.parse();

        assertThat(options.contenders()).extracting(OverloadContender::optionName).containsExactly("pool", "pool-deadlines", "hikari", "agroal", "dbcp2");
        assertThat(options.loads()).containsExactly(0.83, 1.33, 2.0);
        assertThat(options.budget()).isEqualTo(Duration.ofMillis(300));
        assertThat(options.statement()).isEqualTo("select pg_sleep(0.005)");
        assertThat(options.statementTimeout()).isEqualTo(OverloadStatement.Timeout.NONE);
        assertThat(options.arrivals()).isEqualTo(Arrivals.Process.POISSON);
        assertThat(options.virtualThreads()).isEqualTo(ClientThreads.virtualThreadsAvailable());
        assertThat(options.poolSize()).isEqualTo(10);
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.embedded()).isTrue();
    }

    @Test
    void readsEveryOption() {
        OverloadOptions options = OverloadOptions.parse("--pools", "dbcp2,pool", "--loads", "1.5", "--budget", "1s",
                "--statement", "select 1", "--statement-timeout", "remaining", "--arrivals", "uniform", "--threads", "platform",
                "--rounds", "3", "--seed", "42", "--url", "jdbc:postgresql://db/app");

        assertThat(options.contenders()).extracting(OverloadContender::optionName).containsExactly("dbcp2", "pool");
        assertThat(options.loads()).containsExactly(1.5);
        assertThat(options.budget()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.statement()).isEqualTo("select 1");
        assertThat(options.statementTimeout()).isEqualTo(OverloadStatement.Timeout.REMAINING);
        assertThat(options.arrivals()).isEqualTo(Arrivals.Process.UNIFORM);
        assertThat(options.virtualThreads()).isFalse();
        assertThat(options.rounds()).isEqualTo(3);
        assertThat(options.seed()).isEqualTo(42);
        assertThat(options.embedded()).isFalse();
    }

    @Test
    void aBudgetBelowHikarisFloorIsRejectedOnlyWhenHikariRuns() {
        assertThatIllegalArgumentException().isThrownBy(() -> OverloadOptions.parse("--budget", "100ms"))
                .withMessageContaining("HikariCP").withMessageContaining("250");

        assertThat(OverloadOptions.parse("--budget", "100ms", "--pools", "pool,agroal").budget()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void rejectsWhatItCannotRun() {
        assertThatIllegalArgumentException().isThrownBy(() -> OverloadOptions.parse("--pools", "c3p0"))
                .withMessageContaining("pool, pool-deadlines, hikari, agroal, dbcp2");
        assertThatIllegalArgumentException().isThrownBy(() -> OverloadOptions.parse("--loads", "0"));
        assertThatIllegalArgumentException().isThrownBy(() -> OverloadOptions.parse("--loads", "twice"));
        assertThatIllegalArgumentException().isThrownBy(() -> OverloadOptions.parse("--budget", "0ms"));
        assertThatIllegalArgumentException().isThrownBy(() -> OverloadOptions.parse("--statement-timeout", "half"));
        assertThatIllegalArgumentException().isThrownBy(() -> OverloadOptions.parse("--arrivals", "bursty"));
        assertThatIllegalArgumentException().isThrownBy(() -> OverloadOptions.parse("--threads", "green"));
        assertThatIllegalArgumentException().isThrownBy(() -> OverloadOptions.parse("--statement", " "));
        assertThatIllegalArgumentException().isThrownBy(() -> OverloadOptions.parse("--rounds", "0"));
        assertThatIllegalArgumentException().isThrownBy(() -> OverloadOptions.parse("--budget"));
    }

    @Test
    void virtualThreadsOnlyWhereTheJdkHasThem() {
        if (ClientThreads.virtualThreadsAvailable()) {
            assertThat(OverloadOptions.parse("--threads", "virtual").virtualThreads()).isTrue();
        } else {
            assertThatIllegalArgumentException().isThrownBy(() -> OverloadOptions.parse("--threads", "virtual"))
                    .withMessageContaining("JDK 21");
        }
    }
}
