package dev.pool.test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Time a test lets pass on purpose, as work holding a connection takes it: a duration for the pool to
 * measure (a hold, a wait), never a stand-in for waiting on an event, which takes a latch or Awaitility.
 */
public final class SimulatedWork {

    private SimulatedWork() {
    }

    /** Lets at least {@code duration} pass on this thread. */
    public static void lasting(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    /** Lets time pass on this thread until {@code System.nanoTime()} reaches {@code nanoTime}; returns at once if it has. */
    public static void until(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(left));
        }
    }
}
