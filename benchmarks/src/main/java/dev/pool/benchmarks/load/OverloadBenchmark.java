package dev.pool.benchmarks.load;

import java.io.IOException;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The overload scenario of the load benchmark: every pool of the same size offered requests faster
 * than its connections can serve them, each request with a budget (a caller's deadline) for getting
 * a connection and running its statement. It measures what a pool does with more work than it can
 * do: how many calls it still serves in time (goodput), how many it serves too late to matter (the
 * database's work wasted), how fast it fails the rest, and how many threads pile up meanwhile. Run it
 * from the shaded jar:
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.pool.benchmarks.load.OverloadBenchmark [options]</pre>
 *
 * <p>Each round measures the capacity first ({@link CapacityRun}), then offers each load (a multiple
 * of that capacity) to every pool back to back, in a rotated order each round so none always runs
 * first. Every cell is bounded ({@link OverloadRun}); the run prints its expected length first and
 * its real one last, with markdown tables, and writes the same results as JSON.
 */
public final class OverloadBenchmark {

    /** Opening, draining and closing a cell beyond its warm-up, window and budget: for the estimate only. */
    private static final long CELL_OVERHEAD_NANOS = 1_000_000_000L;

    private final OverloadOptions options;
    private final PrintStream out;

    OverloadBenchmark(OverloadOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        OverloadOptions options;
        try {
            options = OverloadOptions.parse(args);
        } catch (LoadOptions.HelpRequested e) {
            System.out.print(OverloadOptions.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(OverloadOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            new OverloadBenchmark(options, System.out).run();
        } catch (Exception e) {
            System.err.println("The overload benchmark failed:");
            e.printStackTrace();
            System.exit(1);
        }
        // a request stuck past its cell's bound, or a pool's own thread, must not keep the JVM alive
        System.exit(0);
    }

    /** Runs every round and cell, prints the tables and writes the JSON file; returns what it measured. */
    OverloadResults run() throws SQLException, InterruptedException, IOException {
        long start = System.nanoTime();
        int cellsPerRound = options.loads().size() * options.contenders().size();
        long measured = options.warmup().toNanos() + options.duration().toNanos();
        long estimate = options.rounds() * (measured + CELL_OVERHEAD_NANOS
                + cellsPerRound * (measured + options.budget().toNanos() + CELL_OVERHEAD_NANOS));
        if (!options.virtualThreads()) {
            out.println("Requests run on platform threads" + (ClientThreads.virtualThreadsAvailable() ? "" : " (JDK "
                    + Runtime.version().feature() + " has no virtual threads)") + ".");
        }
        out.printf(Locale.ROOT, "Overload benchmark: %d rounds of a capacity measurement and %d cells (%s), about %s plus database start-up%n",
                options.rounds(), cellsPerRound, options, MarkdownReport.seconds(estimate));

        List<CapacityResult> capacities = new ArrayList<>();
        List<OverloadResult> results = new ArrayList<>();
        Machine machine;
        try (Database database = Database.open(options.url(), options.user(), options.password())) {
            machine = Machine.describe(database);
            out.println(machine.database() + "; load average " + machine.loadAtStart());
            for (int round = 1; round <= options.rounds(); round++) {
                CapacityResult capacity = new CapacityRun(database, options, round).run();
                capacities.add(capacity);
                out.println(capacityLine(capacity));
                for (OverloadCell cell : plan(round)) {
                    OverloadResult result = new OverloadRun(database, options, cell, round, capacity.perSecond()).run();
                    results.add(result);
                    out.println(progress(results.size(), cellsPerRound * options.rounds(), result));
                    System.gc(); // the requests' garbage is collected here rather than in the next cell's window
                }
            }
        }
        OverloadResults all = new OverloadResults(options, machine, capacities, results, System.nanoTime() - start,
                Machine.loadAverages());
        out.println();
        out.print(OverloadMarkdownReport.render(all));
        OverloadJsonReport.write(all, options.json());
        out.println();
        out.println("Results written to " + options.json().toAbsolutePath());
        return all;
    }

    /** One round's cells: each load, lowest first, with every pool; round {@code n} starts at the {@code n}-th pool. */
    List<OverloadCell> plan(int round) {
        List<OverloadContender> contenders = new ArrayList<>(options.contenders());
        Collections.rotate(contenders, -(round - 1));
        List<OverloadCell> cells = new ArrayList<>();
        for (double load : options.loads().stream().sorted().toList()) {
            for (OverloadContender contender : contenders) {
                cells.add(new OverloadCell(contender, load));
            }
        }
        return cells;
    }

    private String capacityLine(CapacityResult capacity) {
        return String.format(Locale.ROOT, "%sCapacity of %d dedicated connections: %s statements/s%s (load %.1f)",
                options.rounds() > 1 ? "Round " + capacity.round() + ": " : "", capacity.connections(),
                MarkdownReport.count(capacity.perSecond()),
                capacity.errors().isEmpty() ? "" : ", errors " + capacity.errors() + " " + capacity.errorExamples(),
                capacity.loadAverage());
    }

    private String progress(int done, int total, OverloadResult result) {
        String errors = OverloadMarkdownReport.errors(result);
        if (!result.errorExamples().isEmpty()) {
            errors += " (first: " + result.errorExamples().values().iterator().next() + ")";
        }
        return String.format(Locale.ROOT, "[%d/%d] %s%s: offered %s/s, within budget %s/s (%s of capacity), late %s/s, "
                        + "failed %s/s after p99 %s, waiting peak %d, errors: %s (load %.1f)",
                done, total, options.rounds() > 1 ? "round " + result.round() + ", " : "", result.cell(),
                MarkdownReport.count(result.perSecond(result.offered())), MarkdownReport.count(result.goodputPerSecond()),
                MarkdownReport.ratio(result.shareOfCapacity()), MarkdownReport.count(result.perSecond(result.servedLate())),
                MarkdownReport.count(result.perSecond(result.failed())), MarkdownReport.latency(result.failureP99()),
                result.peakWaiting(), errors, result.loadAverage());
    }
}
