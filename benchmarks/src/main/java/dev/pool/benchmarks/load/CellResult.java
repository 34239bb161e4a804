package dev.pool.benchmarks.load;

import java.util.Map;

/**
 * What one cell measured in one round. Latencies are in nanoseconds; {@code errors} counts failed
 * calls by exception type and SQLState over the whole cell, warm-up included.
 *
 * @param round which round of the run, from 1
 * @param windowNanos how long the measurement window was open
 * @param transactions transactions completed inside the window
 * @param errorExamples the first message seen of each error type
 * @param acquires acquire calls begun inside the window, failed ones included
 * @param maxBackends the most server backends of this cell seen at once
 * @param starvedClients clients that completed no transaction in the window
 * @param leastToMedian the fewest transactions any client completed over the median client's: 1 is
 *     perfectly even service, 0 means somebody starved
 * @param stuckClients clients still running when the cell stopped waiting for them
 * @param loadAverage the machine's one-minute load average as the cell ended
 */
record CellResult(
        Cell cell,
        int round,
        long windowNanos,
        long transactions,
        long acquires,
        long acquireP50,
        long acquireP99,
        long acquireP999,
        long acquireMax,
        Map<String, Long> errors,
        Map<String, String> errorExamples,
        int maxBackends,
        int starvedClients,
        double leastToMedian,
        int stuckClients,
        double loadAverage) {

    double transactionsPerSecond() {
        return windowNanos == 0 ? 0 : transactions * 1e9 / windowNanos;
    }

    long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
