package dev.pool.engine;

import dev.pool.EvictionReason;
import dev.pool.PoolConfig;

/**
 * The rules that say when a connection is closed rather than lent again, in one place for both
 * moments the pool asks: when a borrower returns it, and when the housekeeper finds it idle. The
 * rules about the connection itself apply at both, in this order:
 * <ol>
 *   <li>{@code broken}: it failed with a connection-class error or its reset failed;</li>
 *   <li>{@code manual}: it is left over by {@code evictAll()} (an older generation) or by a
 *       {@code max-size} made smaller than the pool now holds;</li>
 *   <li>{@code reuse-count}: it has been borrowed {@code max-reuse-count} times;</li>
 *   <li>{@code reuse-time}: it is older than its {@code max-reuse-time}.</li>
 * </ol>
 * Then one rule about the pool's size, different at each moment: on return, {@code max-idle} (when
 * that many are idle already and nobody waits); while idle, {@code max-idle-time} (never below
 * {@code min-size} connections or {@code min-idle} idle ones).
 */
final class RetirementPolicy {

    private final PoolSizes sizes;
    private final ConnectionBag bag;
    private final int maxReuseCount;
    private final long maxIdleTimeNanos;
    /** {@code evictAll()} bumps this; entries of an older generation are retired when next seen. */
    private volatile int generation;

    RetirementPolicy(PoolConfig config, PoolSizes sizes, ConnectionBag bag) {
        this.sizes = sizes;
        this.bag = bag;
        this.maxReuseCount = config.getMaxReuseCount();
        this.maxIdleTimeNanos = config.getMaxIdleTime().toNanos();
    }

    /**
     * Why to retire a connection its borrower just returned, or null to keep it. {@code trouble} is
     * {@link PooledConnection#trouble()} as the pool read it on return (once: it also looks for a
     * role in doubt there).
     */
    EvictionReason atReturn(PooledConnection entry, int trouble, long now) {
        EvictionReason reason = worn(entry, trouble, now);
        if (reason != null) {
            return reason;
        }
        if (sizes.limitsIdle() && bag.waiting() == 0 && bag.idleCount() >= sizes.maxIdle()) {
            return EvictionReason.MAX_IDLE;
        }
        return null;
    }

    /**
     * Why to retire a connection found idle, or null to keep it. {@code idle} and {@code total} are
     * the housekeeper's running counts in this pass, less what it has retired so far.
     */
    EvictionReason whileIdle(PooledConnection entry, long now, int idle, int total) {
        EvictionReason reason = worn(entry, entry.trouble(), now);
        if (reason != null) {
            return reason;
        }
        if (maxIdleTimeNanos > 0 && now - entry.lastReturnedAt > maxIdleTimeNanos
                && total > sizes.minSize() && idle > sizes.minIdle()) {
            return EvictionReason.IDLE_TIME;
        }
        return null;
    }

    /** The rules about the connection itself, the same at return and while idle. */
    private EvictionReason worn(PooledConnection entry, int trouble, long now) {
        if ((trouble & PooledConnection.BROKEN) != 0) {
            return EvictionReason.BROKEN;
        }
        if (isLeftOver(entry)) {
            return EvictionReason.MANUAL;
        }
        if (maxReuseCount > 0 && entry.borrowCount >= maxReuseCount) {
            return EvictionReason.REUSE_COUNT;
        }
        if (now - entry.retireAt >= 0) {
            return EvictionReason.REUSE_TIME;
        }
        return null;
    }

    /** Left over by {@code evictAll()} or a smaller {@code max-size}. */
    private boolean isLeftOver(PooledConnection entry) {
        // counts the entries still in the pool: retired ones keep their slot until closed, but are no longer too many
        return entry.generation != generation || bag.entries().length > sizes.maxSize();
    }

    /** The generation new connections belong to. */
    int generation() {
        return generation;
    }

    /** {@code evictAll()}: every connection open now is left over, and is retired when next seen. */
    synchronized void retireAllCurrent() {
        generation++;
    }
}
