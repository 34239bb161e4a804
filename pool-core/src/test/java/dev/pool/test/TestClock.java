package dev.pool.test;

import dev.pool.engine.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Clock} that moves only when a test moves it, so time-based rules (idle time, reuse time,
 * leak threshold) are tested without waiting. Starts far from zero so arithmetic on "before start"
 * values stays positive; thread-safe.
 */
public final class TestClock implements Clock {

    /** Where every new clock starts: an arbitrary, non-zero reading, as {@link System#nanoTime()} is. */
    public static final long START_NANOS = Duration.ofDays(1).toNanos();

    private final AtomicLong nanos;

    public TestClock() {
        this(START_NANOS);
    }

    public TestClock(long startNanos) {
        this.nanos = new AtomicLong(startNanos);
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    /** Moves time forward; returns the new reading. */
    public long advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("A monotonic clock cannot go back: " + duration);
        }
        return nanos.addAndGet(duration.toNanos());
    }

    /** Time passed since an earlier reading of this clock. */
    public Duration elapsedSince(long startNanos) {
        return Duration.ofNanos(nanos.get() - startNanos);
    }

    @Override
    public String toString() {
        return "TestClock[" + Duration.ofNanos(nanos.get()) + "]";
    }
}
