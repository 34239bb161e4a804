package dev.pool.benchmarks.load;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The results as markdown, ready for the README: where they came from, then per workload one
 * detailed table (a row per cell) and a summary (share of the ceiling and acquire p99 per pool).
 * With several rounds each row is the cell's median round, its throughput followed by the range
 * over all rounds.
 */
final class MarkdownReport {

    private MarkdownReport() {
    }

    static String render(Results results) {
        StringBuilder out = new StringBuilder();
        LoadOptions options = results.options();
        Machine machine = results.machine();
        out.append("## Load benchmark: a pool of ").append(options.poolSize()).append(" on real PostgreSQL\n\n");
        out.append("- Server: ").append(machine.database()).append('\n');
        out.append("- Machine: ").append(machine.cpu()).append(", ").append(machine.cores()).append(" cores, ")
                .append(machine.os()).append('\n');
        out.append("- JVM: ").append(machine.jvm()).append(", max heap ")
                .append(machine.maxHeapBytes() / (1024 * 1024)).append(" MB\n");
        out.append("- Load average (1 / 5 / 15 min): ").append(machine.loadAtStart()).append(" at start, ")
                .append(results.loadAtEnd()).append(" at end; the `load` column is the 1-minute figure as each cell ended\n");
        out.append("- Every cell: ").append(seconds(options.warmup().toNanos())).append(" warm-up, then ")
                .append(seconds(options.duration().toNanos())).append(" measured")
                .append(options.rounds() > 1 ? ", " + options.rounds() + " rounds (the median shown, with the range)" : "")
                .append(". Every pool: max size ")
                .append(options.poolSize()).append(", min idle ").append(options.poolSize())
                .append(", all connections open before the cell, wait timeout ")
                .append(seconds(options.waitTimeout().toNanos())).append('\n');
        out.append("- Total runtime: ").append(seconds(results.totalNanos())).append("\n");

        for (Workload workload : options.workloads()) {
            List<CellResult> cells = results.cells().stream()
                    .filter(cell -> cell.workload() == workload)
                    .map(results::median)
                    .toList();
            if (cells.isEmpty()) {
                continue;
            }
            out.append("\n### ").append(workload.optionName()).append(": ").append(workload.description()).append("\n\n");
            Optional<CellResult> ceiling = results.ceiling(workload);
            ceiling.ifPresent(c -> out.append("Ceiling, ").append(c.cell().clients())
                    .append(" threads each owning a connection: **").append(count(c.transactionsPerSecond()))
                    .append(" tx/s**.\n\n"));
            detail(out, results, cells);
            out.append('\n');
            summary(out, results, options, cells);
        }
        return out.toString();
    }

    private static void detail(StringBuilder out, Results results, List<CellResult> cells) {
        out.append("| clients | pool | tx/s | × ceiling | × HikariCP | acquire p50 | p99 | p99.9 | max "
                + "| errors | backends | least/median | load |\n");
        out.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|\n");
        for (CellResult result : cells) {
            out.append("| ").append(result.cell().clientsLabel())
                    .append(" | ").append(result.cell().poolName())
                    .append(" | ").append(count(result.transactionsPerSecond())).append(range(results, result))
                    .append(" | ").append(ratio(results.shareOfCeiling(result)))
                    .append(" | ").append(result.cell().isCeiling() ? "" : ratio(results.ratioToHikari(result)))
                    .append(" | ").append(latency(result.acquireP50()))
                    .append(" | ").append(latency(result.acquireP99()))
                    .append(" | ").append(latency(result.acquireP999()))
                    .append(" | ").append(latency(result.acquireMax()))
                    .append(" | ").append(errors(result))
                    .append(" | ").append(result.maxBackends() < 0 ? "?" : String.valueOf(result.maxBackends()))
                    .append(" | ").append(String.format(Locale.ROOT, "%.2f", result.leastToMedian()))
                    .append(" | ").append(String.format(Locale.ROOT, "%.1f", result.loadAverage()))
                    .append(" |\n");
        }
    }

    /** Rows of client counts, a column per pool: share of the ceiling, acquire p99, and any errors. */
    private static void summary(StringBuilder out, Results results, LoadOptions options, List<CellResult> cells) {
        List<LoadPool> pools = options.pools();
        List<String> rows = cells.stream()
                .filter(result -> !result.cell().isCeiling())
                .map(result -> result.cell().clientsLabel())
                .distinct()
                .toList();
        if (rows.isEmpty()) {
            return;
        }
        out.append("Share of the ceiling, acquire p99:\n\n| clients |");
        pools.forEach(pool -> out.append(' ').append(pool.displayName()).append(" |"));
        out.append("\n|---:|");
        pools.forEach(pool -> out.append("---|"));
        out.append('\n');
        for (String row : rows) {
            out.append("| ").append(row).append(" |");
            for (LoadPool pool : pools) {
                Optional<CellResult> found = cells.stream()
                        .filter(result -> result.cell().pool() == pool && result.cell().clientsLabel().equals(row))
                        .findFirst();
                out.append(' ').append(found.map(result -> ratio(results.shareOfCeiling(result)) + ", "
                        + latency(result.acquireP99())
                        + (result.errorCount() > 0 ? ", " + count(result.errorCount()) + (result.errorCount() == 1 ? " error" : " errors") : ""))
                        .orElse("")).append(" |");
            }
            out.append('\n');
        }
    }

    /** With several rounds, the lowest and highest throughput of the cell: {@code  (25,545–73,981)}. */
    private static String range(Results results, CellResult result) {
        List<CellResult> rounds = results.rounds(result.cell());
        if (rounds.size() < 2) {
            return "";
        }
        double least = rounds.stream().mapToDouble(CellResult::transactionsPerSecond).min().orElse(0);
        double most = rounds.stream().mapToDouble(CellResult::transactionsPerSecond).max().orElse(0);
        return " (" + count(least) + "–" + count(most) + ")";
    }

    static String errors(CellResult result) {
        Map<String, Long> errors = result.errors();
        String listed = errors.isEmpty() ? "0" : errors.entrySet().stream()
                .map(entry -> count(entry.getValue()) + " × " + entry.getKey())
                .collect(Collectors.joining("; "));
        return result.stuckClients() == 0 ? listed : listed + "; " + result.stuckClients() + " clients stuck";
    }

    static String count(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    static String ratio(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.2f", value);
    }

    /** Nanoseconds in the unit that reads best: 850 ns, 4.2 µs, 37 µs, 1.2 ms, 401 ms, 1.20 s. */
    static String latency(long nanos) {
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return scaled(nanos / 1e3, "µs");
        }
        if (nanos < 1_000_000_000) {
            return scaled(nanos / 1e6, "ms");
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    private static String scaled(double value, String unit) {
        return String.format(Locale.ROOT, value < 10 ? "%.1f %s" : "%.0f %s", value, unit);
    }

    static String seconds(long nanos) {
        long totalSeconds = Math.round(nanos / 1e9);
        if (totalSeconds < 60) {
            double exact = nanos / 1e9;
            return exact == Math.rint(exact) || exact >= 10
                    ? totalSeconds + " s"
                    : String.format(Locale.ROOT, "%.1f s", exact);
        }
        return totalSeconds / 60 + " min " + totalSeconds % 60 + " s";
    }
}
