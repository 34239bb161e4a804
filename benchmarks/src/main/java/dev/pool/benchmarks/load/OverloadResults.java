package dev.pool.benchmarks.load;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A whole overload run: its options, where it ran, the capacity of each round, every cell's result
 * in every round, and how long it all took. With several rounds a cell is represented by its median
 * round by goodput as a share of that round's capacity (rounds offer different rates when the
 * capacity they measured differs).
 */
record OverloadResults(OverloadOptions options, Machine machine, List<CapacityResult> capacities,
        List<OverloadResult> runs, long totalNanos, String loadAtEnd) {

    /** Every cell once, in the order it first ran. */
    List<OverloadCell> cells() {
        return runs.stream().map(OverloadResult::cell).distinct().toList();
    }

    /** The cell's results, one per round. */
    List<OverloadResult> rounds(OverloadCell cell) {
        return runs.stream().filter(result -> result.cell().equals(cell)).toList();
    }

    /** The cell's median round by share of capacity, the lower middle one of an even count. */
    OverloadResult median(OverloadCell cell) {
        List<OverloadResult> rounds = rounds(cell).stream()
                .sorted(Comparator.comparingDouble(OverloadResult::shareOfCapacity))
                .toList();
        if (rounds.isEmpty()) {
            throw new IllegalArgumentException("No results for " + cell);
        }
        return rounds.get((rounds.size() - 1) / 2);
    }

    boolean isMedian(OverloadResult result) {
        return median(result.cell()) == result;
    }

    /** The median result of {@code contender} at {@code load}, if it ran. */
    Optional<OverloadResult> find(OverloadContender contender, double load) {
        OverloadCell cell = new OverloadCell(contender, load);
        return rounds(cell).isEmpty() ? Optional.empty() : Optional.of(median(cell));
    }
}
