package dev.pool.benchmarks.load;

import java.util.Map;

/**
 * What one overload cell measured in one round. Counts are of the requests that arrived in the
 * measurement window; latencies are in nanoseconds from a request's arrival.
 *
 * @param capacityPerSecond the round's capacity ({@link CapacityRun}), which the load multiplies
 * @param targetPerSecond the arrival rate asked for: capacity times load
 * @param offered requests that arrived in the window
 * @param servedInBudget of those, served (statement done, connection returned) within their budget
 * @param servedLate served after their budget ran out: the database's work was wasted, the caller gone
 * @param failed failed: no connection in time, or the statement or the return failed
 * @param unfinished still running when the cell stopped waiting: offered minus the three above
 * @param failureP50 time from arrival to failure of the failed requests, median
 * @param servedP50 time from arrival to the end of the served requests, in budget or not, median
 * @param startLagP99 how late the requests' threads started after their arrival: the harness's own
 *     delay, included in every other latency
 * @param peakWaiting the most threads inside the pool's {@code getConnection} at once
 * @param peakThreads the most request threads alive at once (waiting, running the statement, or
 *     not yet scheduled)
 * @param maxBackends the most server backends of this cell's pool seen at once, -1 if unknown
 * @param errors failed requests by exception type and SQLState
 * @param loadAverage the machine's one-minute load average as the cell ended
 */
record OverloadResult(
        OverloadCell cell,
        int round,
        double capacityPerSecond,
        double targetPerSecond,
        long windowNanos,
        long offered,
        long servedInBudget,
        long servedLate,
        long failed,
        long unfinished,
        long failureP50,
        long failureP99,
        long failureMax,
        long servedP50,
        long servedP99,
        long startLagP99,
        int peakWaiting,
        int peakThreads,
        int maxBackends,
        Map<String, Long> errors,
        Map<String, String> errorExamples,
        double loadAverage) {

    /** Requests served within their budget, per second: what the callers got. */
    double goodputPerSecond() {
        return perSecond(servedInBudget);
    }

    /** {@link #goodputPerSecond()} over the round's capacity. */
    double shareOfCapacity() {
        return capacityPerSecond == 0 ? Double.NaN : goodputPerSecond() / capacityPerSecond;
    }

    double perSecond(long count) {
        return windowNanos == 0 ? 0 : count * 1e9 / windowNanos;
    }
}
