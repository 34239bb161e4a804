package dev.pool.engine;

/**
 * How long a connection stays out of the pool per lease while callers queue for it: the service
 * time early rejection predicts waits from ({@link Admission}).
 *
 * <p>Only leases that began on the slow path are measured: from the moment a return handed the
 * connection to a waiter (or a waiter found it), so the hand-off's scheduling delay counts, to the
 * moment it comes back. Those are exactly the leases that matter: a prediction is only made while
 * every connection is busy and callers queue, and then nearly every lease begins that way. A lease
 * from the fast path is not measured, so an uncontended borrow reads no clock and writes nothing
 * here; its return pays one read of a field of the entry it already holds. The lend rate would be
 * the wrong measure: under light load it is low and would predict huge waits.
 *
 * <p>The mean is an exponentially weighted moving average of weight 1/{@value #WEIGHT} (about the
 * last hundred leases: with 10 connections and 5 ms holds, the last 50 ms), the first
 * {@value #WEIGHT} samples averaged plainly. Measured at twice the capacity with 300 ms budgets:
 * with weight 1/8 (the last few milliseconds) the mean followed every burst of short or long holds,
 * the queue admitted grew and shrank with it, and more waiters were failed at their hand-off, late.
 * Written racily: two returns at once may lose one sample, which shifts the mean less than one
 * sample does. 0 means nothing measured yet, and then nothing is predicted.
 */
final class HoldTimes {

    /** Each sample moves the mean by 1/WEIGHT of its difference: see the class comment. */
    static final int WEIGHT = 64;

    private volatile long meanNanos;

    private volatile int samples;

    void record(long nanos) {
        int n = samples;
        if (n < WEIGHT) {
            samples = ++n; // the first samples are averaged plainly, so the mean starts from what was seen
        }
        long mean = meanNanos;
        meanNanos = Math.max(1, mean + (nanos - mean) / n);
    }

    /** The recent mean, 0 if no contended lease has ended yet. */
    long meanNanos() {
        return meanNanos;
    }
}
