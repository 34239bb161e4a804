package dev.pool.engine;

import dev.pool.EvictionReason;
import dev.pool.PoolListener;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what the pool does and tells the listeners. The counters behind {@code PoolStats} live
 * here, as {@link LongAdder}s, so threads counting at once do not contend on one cache line.
 * Borrows are not counted here: each entry counts its own (see {@code ConnectionPool.stats()}).
 */
final class Events {

    private static final PoolListener[] NONE = new PoolListener[0];

    private volatile PoolListener[] listeners = NONE;
    /** True while some listener wants durations; the fast path reads the clock only then. */
    volatile boolean timed;

    final LongAdder created = new LongAdder();
    final LongAdder waits = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    private final Map<EvictionReason, LongAdder> evictions = new EnumMap<>(EvictionReason.class);

    Events() {
        for (EvictionReason reason : EvictionReason.values()) {
            evictions.put(reason, new LongAdder());
        }
    }

    synchronized void add(PoolListener listener) {
        PoolListener[] grown = Arrays.copyOf(listeners, listeners.length + 1);
        grown[grown.length - 1] = listener;
        listeners = grown;
        timed |= listener.wantsTimings();
    }

    synchronized void remove(PoolListener listener) {
        listeners = Arrays.stream(listeners).filter(l -> l != listener).toArray(PoolListener[]::new);
        timed = Arrays.stream(listeners).anyMatch(PoolListener::wantsTimings);
    }

    Map<EvictionReason, Long> evictions() {
        Map<EvictionReason, Long> counts = new EnumMap<>(EvictionReason.class);
        evictions.forEach((reason, count) -> counts.put(reason, count.sum()));
        return counts;
    }

    void created(long nanos) {
        created.increment();
        for (PoolListener l : listeners) {
            l.connectionCreated(nanos);
        }
    }

    void connectFailed(SQLException error) {
        for (PoolListener l : listeners) {
            l.connectFailed(error);
        }
    }

    void acquired(long nanos, boolean waited) {
        if (waited) {
            waits.increment();
        }
        for (PoolListener l : listeners) {
            l.connectionAcquired(nanos, waited);
        }
    }

    void timedOut(long nanos) {
        waits.increment();
        timeouts.increment();
        for (PoolListener l : listeners) {
            l.acquireTimedOut(nanos);
        }
    }

    void returned(long nanos) {
        for (PoolListener l : listeners) {
            l.connectionReturned(nanos);
        }
    }

    void leakSuspected(String threadName, long heldNanos, Throwable borrowSite) {
        for (PoolListener l : listeners) {
            l.leakSuspected(threadName, heldNanos, borrowSite);
        }
    }

    void evicted(EvictionReason reason) {
        evictions.get(reason).increment();
        for (PoolListener l : listeners) {
            l.connectionEvicted(reason);
        }
    }
}
