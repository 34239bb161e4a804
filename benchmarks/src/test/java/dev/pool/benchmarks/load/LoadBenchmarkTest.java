package dev.pool.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves in the normal build that the load benchmark still starts and runs end to end against an
 * embedded PostgreSQL: a second per cell, two clients, one pool. It asserts that work got done
 * without errors, never how fast: a benchmark is not a timed test.
 */
class LoadBenchmarkTest {

    @Test
    void runsEveryWorkloadOnOnePoolAndTheCeilingWithoutErrors(@TempDir Path directory) throws Exception {
        Path json = directory.resolve("results.json");
        LoadOptions options = LoadOptions.parse("--pools", "pool", "--clients", "2", "--virtual", "none",
                "--warmup", "0s", "--duration", "1s", "--json", json.toString());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Results results = new LoadBenchmark(options, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        assertThat(results.runs())
                .extracting(result -> result.cell().toString())
                .containsExactly("select1, dedicated, 10 clients", "select1, Pool, 2 clients",
                        "mixed, dedicated, 10 clients", "mixed, Pool, 2 clients");
        assertThat(results.runs()).allSatisfy(result -> {
            assertThat(result.transactions()).as("transactions of %s", result.cell()).isPositive();
            assertThat(result.errors()).as("errors of %s", result.cell()).isEmpty();
            assertThat(result.stuckClients()).as("stuck clients of %s", result.cell()).isZero();
            assertThat(result.maxBackends()).as("backends of %s", result.cell()).isBetween(1, 10);
        });
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("| 2 | Pool |");
        assertThat(Files.readString(json)).contains("\"pool\": \"pool\"", "\"workload\": \"mixed\"");
    }
}
