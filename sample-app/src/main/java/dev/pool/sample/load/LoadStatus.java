package dev.pool.sample.load;

import java.time.Instant;
import java.util.Map;

/**
 * The state of the current or last load run, as {@code GET /load} shows it.
 *
 * @param requests  by operation: requests answered with success, and those that failed
 * @param lastError the last failure, e.g. {@code "read: 503 Pool sample: no connection within 5000 ms ..."}
 */
public record LoadStatus(
        boolean running,
        int threads,
        long durationSeconds,
        Map<String, Integer> mix,
        Instant startedAt,
        Instant finishedAt,
        double elapsedSeconds,
        double remainingSeconds,
        Map<String, Requests> requests,
        long ok,
        long failed,
        String lastError) {

    public record Requests(long ok, long failed) {
    }
}
