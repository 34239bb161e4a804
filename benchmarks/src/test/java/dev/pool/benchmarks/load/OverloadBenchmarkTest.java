package dev.pool.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves in the normal build that the overload scenario runs end to end against an embedded
 * PostgreSQL (given as an external server, so both runs share one), tiny (a second per cell, a pool of 2), and that its report adds up: every measured
 * request ended exactly one way, in the results and in the JSON alike. How many were served in
 * time depends on the machine and is never asserted: a benchmark is not a timed test.
 */
class OverloadBenchmarkTest {

    /** One embedded server for both runs: starting one takes longer than a tiny run. */
    private static Database database;

    @BeforeAll
    static void startDatabase() {
        database = Database.startEmbedded();
    }

    @AfterAll
    static void stopDatabase() {
        database.close();
    }

    private static final Pattern CELL = Pattern.compile("\\{\"pool\": \"([^\"]+)\".*\"offered\": (\\d+), \"servedInBudget\": (\\d+), "
            + "\"servedLate\": (\\d+), \"failed\": (\\d+), \"unfinished\": (\\d+),");

    @Test
    void everyRequestEndsOneWayAndAVariantPlugsInThroughTheHook(@TempDir Path directory) throws Exception {
        Path json = directory.resolve("overload.json");
        Queue<Duration> remainingBudgets = new ConcurrentLinkedQueue<>();
        AtomicLong tunedWaitTimeoutMillis = new AtomicLong(-1);
        OverloadContender hooked = OverloadContender.pool("pool-hooked", "Pool, hooked",
                config -> tunedWaitTimeoutMillis.set(config.getConnectionWaitTimeout().toMillis()),
                (pool, remaining) -> {
                    remainingBudgets.add(remaining);
                    return pool.getConnection();
                });
        OverloadOptions options = OverloadOptions.parse("--pools", "pool", "--loads", "2", "--pool-size", "2",
                "--warmup", "0s", "--duration", "1s", "--json", json.toString(), "--url", database.baseUrl())
                .withContenders(List.of(OverloadContender.plain(LoadPool.POOL), hooked));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        OverloadResults results = new OverloadBenchmark(options, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        assertThat(results.capacities()).singleElement().satisfies(capacity -> {
            assertThat(capacity.statements()).isPositive();
            assertThat(capacity.errors()).isEmpty();
        });
        assertThat(results.runs()).extracting(result -> result.cell().toString())
                .containsExactly("Pool at 2x", "Pool, hooked at 2x");
        assertThat(results.runs()).allSatisfy(OverloadBenchmarkTest::addsUp);

        OverloadResult hookedResult = results.runs().get(1);
        assertThat(tunedWaitTimeoutMillis).as("the tuning saw the shared settings").hasValue(300);
        assertThat(remainingBudgets).as("every request borrowed through the variant's Borrow")
                .hasSizeGreaterThanOrEqualTo((int) hookedResult.offered())
                .allSatisfy(remaining -> assertThat(remaining).isLessThanOrEqualTo(Duration.ofMillis(300)));

        List<long[]> cells = jsonCells(Files.readString(json));
        assertThat(cells).hasSize(2).allSatisfy(cell -> {
            assertThat(cell[0]).as("offered").isPositive();
            assertThat(cell[1] + cell[2] + cell[3]).as("in budget + late + failed").isEqualTo(cell[0]);
            assertThat(cell[4]).as("unfinished").isZero();
        });
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("### 2x capacity", "| Pool | ", "| Pool, hooked | ");
    }

    @Test
    void remainingBudgetAsStatementTimeoutWorksThroughThePoolsStatementOnPlatformThreads(@TempDir Path directory) throws Exception {
        OverloadOptions options = OverloadOptions.parse("--pools", "pool", "--loads", "0.5", "--pool-size", "2",
                "--statement-timeout", "remaining", "--threads", "platform",
                "--warmup", "0s", "--duration", "1s", "--json", directory.resolve("overload.json").toString(),
                "--url", database.baseUrl());

        OverloadResults results = new OverloadBenchmark(options, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run();

        assertThat(results.runs()).singleElement().satisfies(result -> {
            addsUp(result);
            // a served request had its statement timeout set through the pool's statement handle
            assertThat(result.servedInBudget() + result.servedLate()).isPositive();
            assertThat(result.errors().keySet()).as("no failure but running out of budget")
                    .allSatisfy(type -> assertThat(type).containsAnyOf("BudgetSpentException", "57014", "SQLTransientConnectionException"));
        });
    }

    /** Offered = served in budget + served late + failed, nothing unfinished, every failure's error counted. */
    private static void addsUp(OverloadResult result) {
        assertThat(result.offered()).as("offered in %s", result.cell()).isPositive();
        assertThat(result.unfinished()).as("unfinished in %s", result.cell()).isZero();
        assertThat(result.servedInBudget() + result.servedLate() + result.failed()).as("outcomes of %s", result.cell())
                .isEqualTo(result.offered());
        assertThat(result.errors().values().stream().mapToLong(Long::longValue).sum()).as("errors of %s", result.cell())
                .isEqualTo(result.failed());
        assertThat(result.maxBackends()).as("backends of %s", result.cell()).isBetween(1, 2);
        assertThat(result.peakThreads()).as("peak threads of %s", result.cell()).isGreaterThanOrEqualTo(result.peakWaiting());
    }

    /** Per cell of the JSON: offered, in budget, late, failed, unfinished. */
    private static List<long[]> jsonCells(String json) {
        Matcher matcher = CELL.matcher(json);
        List<long[]> cells = new ArrayList<>();
        while (matcher.find()) {
            cells.add(new long[] {Long.parseLong(matcher.group(2)), Long.parseLong(matcher.group(3)),
                    Long.parseLong(matcher.group(4)), Long.parseLong(matcher.group(5)), Long.parseLong(matcher.group(6))});
        }
        return cells;
    }
}
