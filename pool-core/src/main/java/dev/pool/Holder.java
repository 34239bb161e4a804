package dev.pool;

/**
 * One call site that borrowed connections over the last 5 minutes, and how long it held them: the
 * answer to "who holds the connections?". Sampled borrows are weighted by the borrows they stand
 * for, so {@code borrows} and {@code heldMs.total} estimate every borrow, not only the sampled ones.
 *
 * @param site    the first frame outside the pool, JDBC, Spring and the JDK, as a stack trace prints it
 * @param borrows borrows from that site
 * @param heldMs  how long it held them
 */
public record Holder(String site, long borrows, HeldMs heldMs) {

    /** Hold times in milliseconds (to the microsecond): the sum, the median, the 99th percentile, the longest sampled. */
    public record HeldMs(double total, double p50, double p99, double max) {
    }
}
