package dev.pool;

/**
 * How big the pool should be, by the load it served lately: Little's law on the last window's
 * borrows and hold times (see {@link PoolDataSource#advice()}).
 *
 * @param suggestedMaxSize the {@code max-size} the load calls for (the current one when there is nothing to go on)
 * @param why              the reasoning in words, with the numbers it used
 */
public record Advice(int suggestedMaxSize, String why) {
}
