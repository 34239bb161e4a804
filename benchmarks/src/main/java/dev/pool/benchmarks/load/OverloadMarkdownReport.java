package dev.pool.benchmarks.load;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The overload results as markdown, ready for the README: where they came from and how requests
 * were offered, then per load one table (a row per pool), and a summary of goodput as a share of
 * capacity, a row per pool and a column per load. With several rounds each row is the cell's median
 * round by share of capacity, its goodput followed by the range of goodput over all rounds, and the
 * rows of one load may come from rounds that offered different rates (each round's capacity times
 * the load): compare the shares.
 */
final class OverloadMarkdownReport {

    private OverloadMarkdownReport() {
    }

    static String render(OverloadResults results) {
        StringBuilder out = new StringBuilder();
        OverloadOptions options = results.options();
        Machine machine = results.machine();
        out.append("## Overload with deadlines: a pool of ").append(options.poolSize()).append(" on real PostgreSQL\n\n");
        out.append("- Server: ").append(machine.database()).append('\n');
        out.append("- Machine: ").append(machine.cpu()).append(", ").append(machine.cores()).append(" cores, ")
                .append(machine.os()).append('\n');
        out.append("- JVM: ").append(machine.jvm()).append(", max heap ")
                .append(machine.maxHeapBytes() / (1024 * 1024)).append(" MB\n");
        out.append("- Load average (1 / 5 / 15 min): ").append(machine.loadAtStart()).append(" at start, ")
                .append(results.loadAtEnd()).append(" at end; the `load` column is the 1-minute figure as each cell ended\n");
        out.append("- Every request: `").append(options.statement()).append("` with a ")
                .append(MarkdownReport.latency(options.budget().toNanos()))
                .append(" budget for acquire + statement from its arrival; statement timeout: ")
                .append(options.statementTimeout() == OverloadStatement.Timeout.NONE
                        ? "none (the statement runs to its end)"
                        : "the rest of the budget (a request that got its connection too late skips the statement)")
                .append(". Arrivals: open loop, ").append(options.arrivals().optionName()).append(", one ")
                .append(options.threadsLabel()).append(" per request\n");
        out.append("- Every pool: max size ").append(options.poolSize()).append(", min idle ").append(options.poolSize())
                .append(", all connections open before the cell, acquire timeout ")
                .append(MarkdownReport.latency(options.budget().toNanos())).append(" (the budget)\n");
        out.append("- Capacity (").append(options.poolSize())
                .append(" threads each owning a connection, running the statement back to back): ")
                .append(results.capacities().stream()
                        .map(capacity -> "**" + MarkdownReport.count(capacity.perSecond()) + "/s**"
                                + (options.rounds() > 1 ? " (round " + capacity.round() + ")" : ""))
                        .collect(Collectors.joining(", ")))
                .append('\n');
        out.append("- Every cell: ").append(MarkdownReport.seconds(options.warmup().toNanos())).append(" warm-up, then ")
                .append(MarkdownReport.seconds(options.duration().toNanos())).append(" of arrivals measured, arrivals going on ")
                .append(MarkdownReport.latency(options.budget().toNanos())).append(" beyond")
                .append(options.rounds() > 1 ? "; " + options.rounds() + " rounds (the median by share of capacity shown, with the range of goodput)" : "")
                .append('\n');
        out.append("- Total runtime: ").append(MarkdownReport.seconds(results.totalNanos())).append("\n");

        for (double load : options.loads()) {
            List<OverloadResult> cells = options.contenders().stream()
                    .map(contender -> results.find(contender, load))
                    .flatMap(Optional::stream)
                    .toList();
            if (cells.isEmpty()) {
                continue;
            }
            out.append("\n### ").append(OverloadCell.loadLabel(load)).append(" capacity")
                    .append(options.rounds() == 1
                            ? ": " + MarkdownReport.count(cells.get(0).targetPerSecond()) + " requests/s offered"
                            : ", of each round's capacity")
                    .append("\n\n");
            detail(out, results, cells);
        }
        summary(out, results, options);
        return out.toString();
    }

    private static void detail(StringBuilder out, OverloadResults results, List<OverloadResult> cells) {
        out.append("| pool | offered /s | within budget /s | × capacity | served late /s | failed /s "
                + "| failed after p50 / p99 | served after p50 / p99 | waiting, peak | threads, peak | backends "
                + "| start lag p99 | errors | load |\n");
        out.append("|---|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---|---:|\n");
        for (OverloadResult result : cells) {
            out.append("| ").append(result.cell().contender().displayName())
                    .append(" | ").append(MarkdownReport.count(result.perSecond(result.offered())))
                    .append(" | ").append(MarkdownReport.count(result.goodputPerSecond())).append(range(results, result))
                    .append(" | ").append(MarkdownReport.ratio(result.shareOfCapacity()))
                    .append(" | ").append(MarkdownReport.count(result.perSecond(result.servedLate())))
                    .append(" | ").append(MarkdownReport.count(result.perSecond(result.failed())))
                    .append(" | ").append(result.failed() == 0 ? "–" : MarkdownReport.latency(result.failureP50()) + " / "
                            + MarkdownReport.latency(result.failureP99()))
                    .append(" | ").append(result.servedInBudget() + result.servedLate() == 0 ? "–"
                            : MarkdownReport.latency(result.servedP50()) + " / " + MarkdownReport.latency(result.servedP99()))
                    .append(" | ").append(result.peakWaiting())
                    .append(" | ").append(result.peakThreads())
                    .append(" | ").append(result.maxBackends() < 0 ? "?" : String.valueOf(result.maxBackends()))
                    .append(" | ").append(MarkdownReport.latency(result.startLagP99()))
                    .append(" | ").append(errors(result))
                    .append(" | ").append(String.format(Locale.ROOT, "%.1f", result.loadAverage()))
                    .append(" |\n");
        }
    }

    /** A row per pool, a column per load: goodput as a share of capacity, then failure p99. */
    private static void summary(StringBuilder out, OverloadResults results, OverloadOptions options) {
        out.append("\nServed within budget as a share of capacity, then the failed calls' time to failure, p99:\n\n| pool |");
        options.loads().forEach(load -> out.append(' ').append(OverloadCell.loadLabel(load)).append(" |"));
        out.append("\n|---|");
        options.loads().forEach(load -> out.append("---|"));
        out.append('\n');
        for (OverloadContender contender : options.contenders()) {
            out.append("| ").append(contender.displayName()).append(" |");
            for (double load : options.loads()) {
                out.append(' ').append(results.find(contender, load)
                        .map(result -> MarkdownReport.ratio(result.shareOfCapacity())
                                + (result.failed() == 0 ? ", none failed" : ", failed after " + MarkdownReport.latency(result.failureP99())))
                        .orElse("")).append(" |");
            }
            out.append('\n');
        }
    }

    /** With several rounds, the lowest and highest goodput of the cell: {@code  (1,210–1,388)}. */
    private static String range(OverloadResults results, OverloadResult result) {
        List<OverloadResult> rounds = results.rounds(result.cell());
        if (rounds.size() < 2) {
            return "";
        }
        double least = rounds.stream().mapToDouble(OverloadResult::goodputPerSecond).min().orElse(0);
        double most = rounds.stream().mapToDouble(OverloadResult::goodputPerSecond).max().orElse(0);
        return " (" + MarkdownReport.count(least) + "–" + MarkdownReport.count(most) + ")";
    }

    static String errors(OverloadResult result) {
        String listed = result.errors().isEmpty() ? "0" : result.errors().entrySet().stream()
                .map(entry -> MarkdownReport.count(entry.getValue()) + " × " + entry.getKey())
                .collect(Collectors.joining("; "));
        return result.unfinished() == 0 ? listed : listed + "; " + result.unfinished() + " unfinished";
    }
}
