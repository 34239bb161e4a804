package dev.pool.benchmarks.load;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * When the overload scenario's requests arrive: open loop, at a mean rate fixed in advance whatever
 * the pool does, as users arrive at an application whether or not its pool keeps up (a closed loop of
 * clients would slow down with the pool and hide the overload). The times come from a seeded
 * generator, so every pool in a round is offered the same requests at the same moments.
 */
final class Arrivals {

    /** How the gaps between arrivals are drawn. */
    enum Process {

        /**
         * Exponential gaps: independent users, the usual model of web traffic. Its bursts queue
         * requests now and then even below capacity.
         */
        POISSON,

        /** Equal gaps: the least queueing a rate can cause. */
        UNIFORM;

        /** The name {@code --arrivals} takes. */
        String optionName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Process named(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Unknown arrival process '" + name + "'; the processes are poisson, uniform");
            }
        }
    }

    private final Process process;
    private final double meanGapNanos;
    private final SplittableRandom random;
    /** The last arrival in nanoseconds from the start, kept fractional so uniform gaps do not drift. */
    private double last;

    Arrivals(Process process, double perSecond, long seed) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("An arrival rate must be more than 0 a second, not " + perSecond);
        }
        this.process = process;
        this.meanGapNanos = 1e9 / perSecond;
        this.random = new SplittableRandom(seed);
    }

    /** The next arrival, in nanoseconds from the start: after the previous one, never before it. */
    long next() {
        double gap = process == Process.POISSON ? -Math.log(1 - random.nextDouble()) * meanGapNanos : meanGapNanos;
        last += gap;
        return (long) last;
    }
}
