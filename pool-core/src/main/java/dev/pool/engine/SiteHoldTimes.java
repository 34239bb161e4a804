package dev.pool.engine;

/**
 * A histogram of hold times in microseconds, small enough to keep one per call site and minute:
 * 160 buckets, four per power of two (so any percentile read from it is within 12.5% of the true
 * one), from 1 µs to 2^40 µs (12 days); longer holds land in the last bucket. Counts are weighted:
 * one sampled borrow adds the borrows it stands for. The exact sum and maximum are kept beside the
 * buckets. Not thread-safe: {@link Holders} locks around it.
 */
final class SiteHoldTimes {

    static final int BUCKETS = 160;

    private final long[] counts = new long[BUCKETS];
    private long count;
    /** Weighted sum of the holds, µs. */
    private long totalMicros;
    private long maxMicros;

    void add(long micros, long weight) {
        long v = Math.max(0, micros);
        counts[bucketOf(v)] += weight;
        count += weight;
        totalMicros += v * weight;
        maxMicros = Math.max(maxMicros, v);
    }

    void addAll(SiteHoldTimes other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        totalMicros += other.totalMicros;
        maxMicros = Math.max(maxMicros, other.maxMicros);
    }

    void clear() {
        java.util.Arrays.fill(counts, 0);
        count = 0;
        totalMicros = 0;
        maxMicros = 0;
    }

    long count() {
        return count;
    }

    long totalMicros() {
        return totalMicros;
    }

    long maxMicros() {
        return maxMicros;
    }

    /** The hold time below which {@code fraction} of the borrows fall: the middle of that bucket, never above the maximum. */
    long percentileMicros(double fraction) {
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(fraction * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(maxMicros, (lowerBound(i) + lowerBound(i + 1) - 1) / 2);
            }
        }
        return maxMicros;
    }

    /** Values below 4 have a bucket each; above, the exponent and the two bits after the leading one. */
    static int bucketOf(long micros) {
        if (micros < 4) {
            return (int) micros;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(micros);
        int index = 4 * (exponent - 1) + (int) ((micros >>> (exponent - 2)) & 3);
        return Math.min(index, BUCKETS - 1);
    }

    /** The smallest value in bucket {@code index}. */
    static long lowerBound(int index) {
        if (index < 4) {
            return index;
        }
        int exponent = index / 4 + 1;
        return (long) (4 + index % 4) << (exponent - 2);
    }
}
