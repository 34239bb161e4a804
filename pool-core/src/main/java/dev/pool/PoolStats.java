package dev.pool;

import java.util.Map;

/**
 * An immutable snapshot of a pool. The gauges ({@code active}, {@code idle}, {@code total},
 * {@code pending}) are read in one pass, so {@code active + idle == total} holds in every snapshot;
 * the counters are cumulative since the pool started.
 *
 * @param active    connections lent out now
 * @param idle      connections ready to lend now
 * @param total     open physical connections now ({@code active + idle})
 * @param pending   threads waiting in {@code getConnection()} now
 * @param maxSize   the cap on open connections
 * @param minSize   the floor on shrinking
 * @param borrowed  successful {@code getConnection()} calls
 * @param created   physical connections opened
 * @param waits     {@code getConnection()} calls that found nothing free and had to wait
 * @param timeouts  {@code getConnection()} calls that failed after waiting
 * @param evictions connections the pool closed, by reason (every reason present, zero if none)
 * @param rejections {@code getConnection()} calls failed at once, by reason (every reason present, zero if none)
 */
public record PoolStats(
        int active,
        int idle,
        int total,
        int pending,
        int maxSize,
        int minSize,
        long borrowed,
        long created,
        long waits,
        long timeouts,
        Map<EvictionReason, Long> evictions,
        Map<RejectionReason, Long> rejections) {

    public PoolStats {
        evictions = Map.copyOf(evictions);
        rejections = Map.copyOf(rejections);
    }

    /** Connections the pool closed for any reason. */
    public long evictionsTotal() {
        return evictions.values().stream().mapToLong(Long::longValue).sum();
    }

    /** {@code getConnection()} calls failed at once for any reason. */
    public long rejectionsTotal() {
        return rejections.values().stream().mapToLong(Long::longValue).sum();
    }
}
