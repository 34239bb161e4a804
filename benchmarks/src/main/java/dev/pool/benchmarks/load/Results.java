package dev.pool.benchmarks.load;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A whole run: its options, where it ran, every cell's result in every round, and how long it all
 * took. With several rounds, a cell is represented by its median round (by throughput), and the
 * ratios compare medians.
 */
record Results(LoadOptions options, Machine machine, List<CellResult> runs, long totalNanos, String loadAtEnd) {

    /** Every cell once, in the order it first ran. */
    List<Cell> cells() {
        return runs.stream().map(CellResult::cell).distinct().toList();
    }

    /** The cell's results, one per round. */
    List<CellResult> rounds(Cell cell) {
        return runs.stream().filter(result -> result.cell().equals(cell)).toList();
    }

    /** The cell's median round by throughput, the lower middle one of an even count. */
    CellResult median(Cell cell) {
        List<CellResult> rounds = rounds(cell).stream()
                .sorted(Comparator.comparingDouble(CellResult::transactionsPerSecond))
                .toList();
        if (rounds.isEmpty()) {
            throw new IllegalArgumentException("No results for " + cell);
        }
        return rounds.get((rounds.size() - 1) / 2);
    }

    boolean isMedian(CellResult result) {
        return median(result.cell()) == result;
    }

    /** The ceiling measured for {@code workload}, if it was. */
    Optional<CellResult> ceiling(Workload workload) {
        return find(Cell.ceiling(workload, options.poolSize()));
    }

    /** HikariCP's result in the same cell as {@code result}, if HikariCP ran. */
    Optional<CellResult> hikari(CellResult result) {
        Cell cell = result.cell();
        return find(new Cell(cell.workload(), LoadPool.HIKARI, cell.clients(), cell.virtualThreads()));
    }

    /** Throughput as a share of the ceiling's, or NaN without a ceiling. */
    double shareOfCeiling(CellResult result) {
        return ceiling(result.cell().workload())
                .map(ceiling -> ratio(result.transactionsPerSecond(), ceiling.transactionsPerSecond()))
                .orElse(Double.NaN);
    }

    /** Throughput over HikariCP's in the same cell, or NaN without HikariCP. */
    double ratioToHikari(CellResult result) {
        return hikari(result)
                .map(hikari -> ratio(result.transactionsPerSecond(), hikari.transactionsPerSecond()))
                .orElse(Double.NaN);
    }

    private Optional<CellResult> find(Cell cell) {
        return rounds(cell).isEmpty() ? Optional.empty() : Optional.of(median(cell));
    }

    private static double ratio(double value, double base) {
        return base == 0 ? Double.NaN : value / base;
    }
}
