package dev.pool.benchmarks.load;

/**
 * The phases of one cell, read by every client on every loop: warming up (not measured), measuring,
 * over (finish the transaction in hand and stop). It opens and closes once, from the cell's thread.
 */
final class MeasurementWindow {

    private static final int WARMING_UP = 0;
    private static final int MEASURING = 1;
    private static final int OVER = 2;

    private volatile int phase = WARMING_UP;
    private long openedAt;
    private long closedAt;

    void open() {
        openedAt = System.nanoTime();
        phase = MEASURING;
    }

    void close() {
        phase = OVER;
        closedAt = System.nanoTime();
    }

    boolean isMeasuring() {
        return phase == MEASURING;
    }

    boolean isOver() {
        return phase == OVER;
    }

    /** How long the window was open; read by the cell's thread after {@link #close()}. */
    long lengthNanos() {
        return closedAt - openedAt;
    }
}
