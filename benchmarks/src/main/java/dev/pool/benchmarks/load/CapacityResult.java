package dev.pool.benchmarks.load;

import java.util.Map;

/**
 * The capacity measured at the start of one round: {@code connections} dedicated connections ran
 * {@code statements} statements in the window.
 *
 * @param errors failed statements by type, warm-up included (there should be none)
 * @param loadAverage the machine's one-minute load average as the measurement ended
 */
record CapacityResult(int round, int connections, long windowNanos, long statements, Map<String, Long> errors,
        Map<String, String> errorExamples, double loadAverage) {

    double perSecond() {
        return windowNanos == 0 ? 0 : statements * 1e9 / windowNanos;
    }
}
