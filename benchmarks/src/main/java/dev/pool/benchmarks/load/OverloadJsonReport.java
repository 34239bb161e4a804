package dev.pool.benchmarks.load;

import static dev.pool.benchmarks.load.JsonReport.field;
import static dev.pool.benchmarks.load.JsonReport.machine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The overload results as JSON, for comparing runs with a script: the machine, the options, each
 * round's capacity, and per cell and round the raw counts (latencies in nanoseconds) with the rates
 * of the markdown tables. One cell a line. Written by hand like {@link JsonReport}.
 */
final class OverloadJsonReport {

    private OverloadJsonReport() {
    }

    static void write(OverloadResults results, Path file) throws IOException {
        JsonReport.writeFile(render(results), file);
    }

    static String render(OverloadResults results) {
        OverloadOptions options = results.options();
        StringBuilder out = new StringBuilder("{\n");
        out.append(machine(results.machine(), results.loadAtEnd()));
        out.append("  \"options\": {")
                .append(field("pools", options.contenders().stream().map(OverloadContender::optionName).toList())).append(", ")
                .append(field("loads", options.loads())).append(", ")
                .append(field("budgetSeconds", options.budget().toNanos() / 1e9)).append(", ")
                .append(field("statement", options.statement())).append(", ")
                .append(field("statementTimeout", options.statementTimeout().optionName())).append(", ")
                .append(field("arrivals", options.arrivals().optionName())).append(", ")
                .append(field("virtualThreads", options.virtualThreads())).append(", ")
                .append(field("warmupSeconds", options.warmup().toMillis() / 1e3)).append(", ")
                .append(field("durationSeconds", options.duration().toMillis() / 1e3)).append(", ")
                .append(field("rounds", options.rounds())).append(", ")
                .append(field("poolSize", options.poolSize())).append(", ")
                .append(field("seed", options.seed())).append(", ")
                .append(field("database", options.embedded() ? "embedded" : Database.masked(options.url()))).append("},\n");
        out.append("  ").append(field("totalSeconds", results.totalNanos() / 1e9)).append(",\n");
        out.append("  \"capacities\": [");
        List<CapacityResult> capacities = results.capacities();
        for (int i = 0; i < capacities.size(); i++) {
            out.append(i == 0 ? "\n" : ",\n").append("    ").append(capacity(capacities.get(i)));
        }
        out.append("\n  ],\n");
        out.append("  \"cells\": [");
        List<OverloadResult> cells = results.runs();
        for (int i = 0; i < cells.size(); i++) {
            out.append(i == 0 ? "\n" : ",\n").append("    ").append(cell(results, cells.get(i)));
        }
        out.append("\n  ]\n}\n");
        return out.toString();
    }

    private static String capacity(CapacityResult capacity) {
        return "{" + field("round", capacity.round())
                + ", " + field("connections", capacity.connections())
                + ", " + field("windowSeconds", capacity.windowNanos() / 1e9)
                + ", " + field("statements", capacity.statements())
                + ", " + field("perSecond", capacity.perSecond())
                + ", \"errors\": " + object(capacity.errors())
                + ", " + field("loadAverage", capacity.loadAverage())
                + "}";
    }

    private static String cell(OverloadResults results, OverloadResult result) {
        return "{" + field("pool", result.cell().contender().optionName())
                + ", " + field("load", result.cell().load())
                + ", " + field("round", result.round())
                + ", " + field("median", results.isMedian(result))
                + ", " + field("capacityPerSecond", result.capacityPerSecond())
                + ", " + field("targetPerSecond", result.targetPerSecond())
                + ", " + field("windowSeconds", result.windowNanos() / 1e9)
                + ", " + field("offered", result.offered())
                + ", " + field("servedInBudget", result.servedInBudget())
                + ", " + field("servedLate", result.servedLate())
                + ", " + field("failed", result.failed())
                + ", " + field("unfinished", result.unfinished())
                + ", " + field("offeredPerSecond", result.perSecond(result.offered()))
                + ", " + field("goodputPerSecond", result.goodputPerSecond())
                + ", " + field("shareOfCapacity", result.shareOfCapacity())
                + ", " + field("servedLatePerSecond", result.perSecond(result.servedLate()))
                + ", " + field("failedPerSecond", result.perSecond(result.failed()))
                + ", \"failureNanos\": {" + field("p50", result.failureP50())
                + ", " + field("p99", result.failureP99())
                + ", " + field("max", result.failureMax()) + "}"
                + ", \"servedNanos\": {" + field("p50", result.servedP50())
                + ", " + field("p99", result.servedP99()) + "}"
                + ", " + field("startLagP99Nanos", result.startLagP99())
                + ", " + field("peakWaiting", result.peakWaiting())
                + ", " + field("peakThreads", result.peakThreads())
                + ", " + field("maxBackends", result.maxBackends())
                + ", \"errors\": " + object(result.errors())
                + ", \"errorExamples\": " + object(result.errorExamples())
                + ", " + field("loadAverage", result.loadAverage())
                + "}";
    }

    /** {@code {"key": value, ...}} in the map's order. */
    private static String object(Map<String, ?> map) {
        return map.entrySet().stream()
                .map(entry -> field(entry.getKey(), entry.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
