package dev.pool.engine;

/**
 * The pool's clock as the fast path reads it: the time of the last housekeeping pass or slow path,
 * so borrowing and returning read no timer while no listener wants durations (one read of the real
 * clock costs ~25 ns here, a third of a whole borrow). How stale it may be is bounded by the
 * housekeeper's period, and the rules that read it are written with that in mind.
 */
final class CoarseClock {

    private final Clock clock;
    private volatile long now;

    CoarseClock(Clock clock) {
        this.clock = clock;
        this.now = clock.nanoTime();
    }

    /** The last reading: cheap, and up to one housekeeping period old. */
    long now() {
        return now;
    }

    /** Reads the real clock and keeps the reading for {@link #now()}. */
    long refresh() {
        long t = clock.nanoTime();
        now = t;
        return t;
    }

    /** The real clock, for the moments that need it exactly. */
    long exact() {
        return clock.nanoTime();
    }
}
