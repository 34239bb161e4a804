package dev.pool.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The results as JSON, for comparing runs with a script: the machine, the options, and per cell and
 * round the raw numbers (latencies in nanoseconds) with the ratios of the markdown tables (against
 * the median rounds of the ceiling and of HikariCP). Written by hand:
 * the format is small and fixed, and the benchmark needs no JSON library for it.
 */
final class JsonReport {

    private JsonReport() {
    }

    static void write(Results results, Path file) throws IOException {
        writeFile(render(results), file);
    }

    /** Writes a report, creating the folder it goes in. */
    static void writeFile(String json, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, json);
    }

    /** The {@code "machine"} line every report starts with. */
    static String machine(Machine machine, Object loadAtEnd) {
        return "  \"machine\": {" + field("cpu", machine.cpu()) + ", " + field("cores", machine.cores()) + ", "
                + field("os", machine.os()) + ", " + field("jvm", machine.jvm()) + ", "
                + field("maxHeapBytes", machine.maxHeapBytes()) + ", " + field("database", machine.database()) + ", "
                + field("loadAverageAtStart", machine.loadAtStart()) + ", " + field("loadAverageAtEnd", loadAtEnd) + "},\n";
    }

    static String render(Results results) {
        LoadOptions options = results.options();
        StringBuilder out = new StringBuilder("{\n");
        out.append(machine(results.machine(), results.loadAtEnd()));
        out.append("  \"options\": {")
                .append(field("pools", options.pools().stream().map(LoadPool::optionName).toList())).append(", ")
                .append(field("workloads", options.workloads().stream().map(Workload::optionName).toList())).append(", ")
                .append(field("clients", options.clients())).append(", ")
                .append(field("virtualClients", options.runnableVirtualClients())).append(", ")
                .append(field("warmupSeconds", options.warmup().toMillis() / 1e3)).append(", ")
                .append(field("durationSeconds", options.duration().toMillis() / 1e3)).append(", ")
                .append(field("rounds", options.rounds())).append(", ")
                .append(field("poolSize", options.poolSize())).append(", ")
                .append(field("waitTimeoutSeconds", options.waitTimeout().toMillis() / 1e3)).append(", ")
                .append(field("database", options.embedded() ? "embedded" : Database.masked(options.url()))).append("},\n");
        out.append("  ").append(field("totalSeconds", results.totalNanos() / 1e9)).append(",\n");
        out.append("  \"cells\": [");
        List<CellResult> cells = results.runs();
        for (int i = 0; i < cells.size(); i++) {
            out.append(i == 0 ? "\n" : ",\n").append("    ").append(cell(results, cells.get(i)));
        }
        out.append("\n  ]\n}\n");
        return out.toString();
    }

    private static String cell(Results results, CellResult result) {
        Cell cell = result.cell();
        return "{" + field("workload", cell.workload().optionName())
                + ", " + field("pool", cell.isCeiling() ? "dedicated" : cell.pool().optionName())
                + ", " + field("clients", cell.clients())
                + ", " + field("virtualThreads", cell.virtualThreads())
                + ", " + field("round", result.round())
                + ", " + field("median", results.isMedian(result))
                + ", " + field("windowSeconds", result.windowNanos() / 1e9)
                + ", " + field("transactions", result.transactions())
                + ", " + field("transactionsPerSecond", result.transactionsPerSecond())
                + ", " + field("shareOfCeiling", results.shareOfCeiling(result))
                + ", " + field("ratioToHikari", cell.isCeiling() ? Double.NaN : results.ratioToHikari(result))
                + ", \"acquireNanos\": {" + field("count", result.acquires())
                + ", " + field("p50", result.acquireP50())
                + ", " + field("p99", result.acquireP99())
                + ", " + field("p999", result.acquireP999())
                + ", " + field("max", result.acquireMax()) + "}"
                + ", \"errors\": {" + result.errors().entrySet().stream()
                        .map(entry -> field(entry.getKey(), entry.getValue()))
                        .collect(Collectors.joining(", ")) + "}"
                + ", \"errorExamples\": {" + result.errorExamples().entrySet().stream()
                        .map(entry -> field(entry.getKey(), entry.getValue()))
                        .collect(Collectors.joining(", ")) + "}"
                + ", " + field("maxBackends", result.maxBackends())
                + ", " + field("starvedClients", result.starvedClients())
                + ", " + field("leastToMedian", result.leastToMedian())
                + ", " + field("stuckClients", result.stuckClients())
                + ", " + field("loadAverage", result.loadAverage())
                + "}";
    }

    static String field(String name, Object value) {
        return string(name) + ": " + value(value);
    }

    private static String value(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Double number) {
            return number.isNaN() || number.isInfinite() ? "null" : String.format(Locale.ROOT, "%.4f", number)
                    .replaceAll("0+$", "").replaceAll("\\.$", ".0");
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(JsonReport::value).collect(Collectors.joining(", ", "[", "]"));
        }
        return string(value.toString());
    }

    static String string(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
