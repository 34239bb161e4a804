package dev.pool.engine;

/**
 * The pool's source of time for its rules (idle time, age, validation interval, abandonment, leak
 * detection), so tests can move time instead of waiting for it. Waiting itself (a borrower's wait
 * timeout, connect backoff, shutdown) is real time, measured with {@link System#nanoTime()}.
 */
public interface Clock {

    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    Clock SYSTEM = System::nanoTime;
}
