package dev.pool.benchmarks.load;

import java.io.IOException;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The load benchmark: Pool, HikariCP, Agroal and DBCP2, each of the same size, serving many client
 * threads that loop borrow / work / return against real PostgreSQL, beside the ceiling of as many
 * threads each owning a connection. Run it from the shaded jar:
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.pool.benchmarks.load.LoadBenchmark [options]</pre>
 *
 * <p>For each workload it measures the ceiling first, then every pool at every client count (pools
 * side by side within a client count, so they see the same machine load), then the virtual-thread
 * cells; with {@code --rounds} all of that again, the pools in a rotated order each round so none
 * always runs first. Every cell is bounded ({@link CellRun}); the whole run prints its expected
 * length first and its real one last, with a markdown table, and writes the same results as JSON.
 */
public final class LoadBenchmark {

    /** Setting up and closing a cell, beyond its warm-up and window: for the time estimate only. */
    private static final long CELL_OVERHEAD_NANOS = 1_000_000_000L;

    private final LoadOptions options;
    private final PrintStream out;

    LoadBenchmark(LoadOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (LoadOptions.HelpRequested e) {
            System.out.print(LoadOptions.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            new LoadBenchmark(options, System.out).run();
        } catch (Exception e) {
            System.err.println("The load benchmark failed:");
            e.printStackTrace();
            System.exit(1);
        }
        // a client stuck past its cell's bound, or a pool's own thread, must not keep the JVM alive
        System.exit(0);
    }

    /** Runs every cell, prints the tables and writes the JSON file; returns what it measured. */
    Results run() throws SQLException, InterruptedException, IOException {
        long start = System.nanoTime();
        int rounds = options.rounds();
        int cellCount = 0;
        for (int round = 1; round <= rounds; round++) {
            cellCount += plan(round).size();
        }
        if (!options.virtualClients().isEmpty() && options.runnableVirtualClients().isEmpty()) {
            out.println("Virtual threads need JDK 21 or newer; this is " + Runtime.version() + ": the virtual-thread cells are skipped.");
        }
        long perCell = options.warmup().toNanos() + options.duration().toNanos() + CELL_OVERHEAD_NANOS;
        out.printf(Locale.ROOT, "Load benchmark: %d cells (%s), about %s plus database start-up%n", cellCount,
                options, MarkdownReport.seconds(cellCount * perCell));

        List<CellResult> results = new ArrayList<>();
        Machine machine;
        try (Database database = Database.open(options)) {
            database.prepareSchema();
            machine = Machine.describe(database);
            out.println(machine.database() + "; load average " + machine.loadAtStart());
            for (int round = 1; round <= rounds; round++) {
                for (Cell cell : plan(round)) {
                    CellResult result = new CellRun(database, options, cell, round).run();
                    results.add(result);
                    out.println(progress(results.size(), cellCount, result));
                    System.gc(); // the clients' garbage is collected here rather than in the next cell's window
                }
            }
        }
        Results all = new Results(options, machine, results, System.nanoTime() - start, Machine.loadAverages());
        out.println();
        out.print(MarkdownReport.render(all));
        JsonReport.write(all, options.json());
        out.println();
        out.println("Results written to " + options.json().toAbsolutePath());
        return all;
    }

    /**
     * One round: per workload the ceiling, then each client count with every pool, then the virtual
     * cells. Round {@code n} starts the pools at the {@code n}-th, so each goes first in turn.
     */
    List<Cell> plan(int round) {
        List<LoadPool> pools = new ArrayList<>(options.pools());
        Collections.rotate(pools, -(round - 1));
        List<Cell> cells = new ArrayList<>();
        for (Workload workload : options.workloads()) {
            cells.add(Cell.ceiling(workload, options.poolSize()));
            for (int clients : options.clients()) {
                for (LoadPool pool : pools) {
                    cells.add(new Cell(workload, pool, clients, false));
                }
            }
            for (int clients : options.runnableVirtualClients()) {
                for (LoadPool pool : pools) {
                    cells.add(new Cell(workload, pool, clients, true));
                }
            }
        }
        return cells;
    }

    private String progress(int done, int total, CellResult result) {
        String errors = MarkdownReport.errors(result);
        if (!result.errorExamples().isEmpty()) {
            errors += " (first: " + result.errorExamples().values().iterator().next() + ")";
        }
        return String.format(Locale.ROOT, "[%d/%d] %s%s: %s tx/s, acquire p99 %s max %s, errors: %s, backends: %s (load %.1f)",
                done, total, options.rounds() > 1 ? "round " + result.round() + ", " : "", result.cell(),
                MarkdownReport.count(result.transactionsPerSecond()),
                MarkdownReport.latency(result.acquireP99()), MarkdownReport.latency(result.acquireMax()),
                errors, result.maxBackends(), result.loadAverage());
    }
}
