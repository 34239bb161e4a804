package dev.pool.benchmarks.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Proves in the normal build that the switchover benchmark still starts and runs end to end on a
 * real primary and standby: one pool, one scenario, seconds long. It asserts that the scenario ran,
 * never how fast anything recovered: the pool's behaviour is proven by pool-core's
 * {@code PrimaryRoleGuardTest}, its speed reported by the benchmark.
 */
class SwitchoverBenchmarkTest {

    @Test
    void runsTheSwitchBackScenarioOnOnePool() throws Exception {
        SwitchoverBenchmark.Options options = SwitchoverBenchmark.Options.parse("--pools", "pool", "--scenarios", "switch-back",
                "--writers", "2", "--pool-size", "4", "--on-standby", "500ms", "--observe", "2s");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        List<SwitchoverBenchmark.Result> results =
                new SwitchoverBenchmark(options, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.pool()).isEqualTo(SwitchoverBenchmark.Contender.POOL);
            assertThat(result.scenario()).isEqualTo(SwitchoverBenchmark.Scenario.SWITCH_BACK);
            assertThat(result.connectionsOpened()).as("reconnects after the proxy cut every session").isPositive();
        });
        assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("switch-back, Pool: ");
        assertThat(SwitchoverBenchmark.markdown(results, options)).contains("| switch-back | Pool |");
    }

    @Test
    void rejectsUnknownOptionsAndValues() {
        assertThat(SwitchoverBenchmark.Options.parse("--on-standby", "1.5s").onStandby()).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> SwitchoverBenchmark.Options.parse("--pools", "c3p0")).hasMessageContaining("Unknown value 'c3p0'");
        assertThatThrownBy(() -> SwitchoverBenchmark.Options.parse("--writers", "0")).hasMessageContaining("--writers = 0");
        assertThatThrownBy(() -> SwitchoverBenchmark.Options.parse("--speed", "1")).hasMessageContaining("Unknown option --speed");
    }
}
