package dev.pool.engine;

import dev.pool.PoolConfig;
import dev.pool.PoolConfigException;

/**
 * The sizes the pool runs with now: {@code min-size} (fixed), {@code min-idle} and {@code max-size}
 * (changed by {@code resize}), and {@code max-idle}, which follows {@code max-size} unless it was set.
 * One object that every rule reads, so a resize changes every rule at once. Each read of
 * {@link #current()} sees a consistent pair of the sizes a resize changes.
 */
final class PoolSizes {

    /** What {@code resize} changes, replaced as a whole. */
    record Current(int minIdle, int maxSize) {
    }

    private final int minSize;
    /** {@code max-idle} as configured; null: it follows {@code max-size}. */
    private final Integer maxIdle;
    private volatile Current current;

    PoolSizes(PoolConfig config) {
        this.minSize = config.getMinSize();
        this.maxIdle = config.getMaxIdle();
        this.current = new Current(config.getMinIdle(), config.getMaxSize());
    }

    int minSize() {
        return minSize;
    }

    int minIdle() {
        return current.minIdle();
    }

    int maxSize() {
        return current.maxSize();
    }

    /** Idle connections kept on return: the configured {@code max-idle}, else {@code max-size}. */
    int maxIdle() {
        Integer set = maxIdle;
        return set != null ? set : current.maxSize();
    }

    /** Whether a return may be retired for {@code max-idle}: only if max-idle is below max-size. */
    boolean limitsIdle() {
        Integer set = maxIdle;
        return set != null && set < current.maxSize();
    }

    /**
     * Checks and applies new sizes, by the same rules as start-up.
     *
     * @throws PoolConfigException naming the property and the rule it breaks; nothing changes then
     */
    synchronized void resize(int newMinIdle, int newMaxSize) {
        if (newMaxSize < 0) {
            throw new PoolConfigException("pool.max-size", newMaxSize, "must be 0 or more");
        }
        if (newMinIdle < 0 || newMinIdle > newMaxSize) {
            throw new PoolConfigException("pool.min-idle", newMinIdle, "must be between 0 and pool.max-size (" + newMaxSize + ")");
        }
        if (maxIdle != null && newMinIdle > Math.max(0, maxIdle)) {
            throw new PoolConfigException("pool.min-idle", newMinIdle, "must not be greater than pool.max-idle (" + maxIdle + ")");
        }
        if (minSize > newMaxSize) {
            throw new PoolConfigException("pool.max-size", newMaxSize, "must not be below pool.min-size (" + minSize + ")");
        }
        current = new Current(newMinIdle, newMaxSize);
    }
}
