package dev.pool.engine;

import dev.pool.EvictionReason;
import dev.pool.PoolListener;
import dev.pool.RejectionReason;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what the pool does and tells the listeners. The counters behind {@code PoolStats} live
 * here, as {@link LongAdder}s, so threads counting at once do not contend on one cache line.
 * Borrows are counted by each entry, off the shared cache lines; here only those of entries since
 * closed ({@link #retiredBorrows}), so {@link PoolView} can add up the total.
 *
 * <p>Listeners are called on the thread that did the work, in the middle of the pool's own
 * bookkeeping (a borrow half done, a slot about to be freed). So every call is isolated: whatever a
 * listener throws, {@link Error}s included, is caught and logged (at WARN the first time for that
 * listener, at DEBUG after), and the pool carries on exactly as without it.
 */
final class Events {

    private static final Logger log = LoggerFactory.getLogger(Events.class);
    private static final Listener[] NONE = new Listener[0];

    private final String poolName;
    private volatile Listener[] listeners = NONE;
    /** True while some listener wants durations; the fast path reads the clock only then. */
    volatile boolean timed;

    final LongAdder created = new LongAdder();
    final LongAdder waits = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    /** Borrows counted by entries that have since been closed; live entries count their own. */
    final LongAdder retiredBorrows = new LongAdder();
    private final Map<EvictionReason, LongAdder> evictions = new EnumMap<>(EvictionReason.class);
    private final Map<RejectionReason, LongAdder> rejections = new EnumMap<>(RejectionReason.class);

    Events(String poolName) {
        this.poolName = poolName;
        for (EvictionReason reason : EvictionReason.values()) {
            evictions.put(reason, new LongAdder());
        }
        for (RejectionReason reason : RejectionReason.values()) {
            rejections.put(reason, new LongAdder());
        }
    }

    synchronized void add(PoolListener listener) {
        Listener[] grown = Arrays.copyOf(listeners, listeners.length + 1);
        grown[grown.length - 1] = new Listener(listener);
        listeners = grown;
        timed |= listener.wantsTimings();
    }

    synchronized void remove(PoolListener listener) {
        listeners = Arrays.stream(listeners).filter(l -> l.listener != listener).toArray(Listener[]::new);
        timed = Arrays.stream(listeners).anyMatch(l -> l.listener.wantsTimings());
    }

    Map<EvictionReason, Long> evictions() {
        Map<EvictionReason, Long> counts = new EnumMap<>(EvictionReason.class);
        evictions.forEach((reason, count) -> counts.put(reason, count.sum()));
        return counts;
    }

    Map<RejectionReason, Long> rejections() {
        Map<RejectionReason, Long> counts = new EnumMap<>(RejectionReason.class);
        rejections.forEach((reason, count) -> counts.put(reason, count.sum()));
        return counts;
    }

    void created(long nanos) {
        created.increment();
        for (Listener l : listeners) {
            try {
                l.listener.connectionCreated(nanos);
            } catch (Throwable e) {
                l.failed("connectionCreated", e);
            }
        }
    }

    void connectFailed(SQLException error) {
        for (Listener l : listeners) {
            try {
                l.listener.connectFailed(error);
            } catch (Throwable e) {
                l.failed("connectFailed", e);
            }
        }
    }

    void acquired(long nanos, boolean waited) {
        if (waited) {
            waits.increment();
        }
        for (Listener l : listeners) {
            try {
                l.listener.connectionAcquired(nanos, waited);
            } catch (Throwable e) {
                l.failed("connectionAcquired", e);
            }
        }
    }

    void timedOut(long nanos) {
        waits.increment();
        timeouts.increment();
        for (Listener l : listeners) {
            try {
                l.listener.acquireTimedOut(nanos);
            } catch (Throwable e) {
                l.failed("acquireTimedOut", e);
            }
        }
    }

    void rejected(RejectionReason reason, long nanos) {
        rejections.get(reason).increment();
        for (Listener l : listeners) {
            try {
                l.listener.acquireRejected(reason, nanos);
            } catch (Throwable e) {
                l.failed("acquireRejected", e);
            }
        }
    }

    void returned(long nanos) {
        for (Listener l : listeners) {
            try {
                l.listener.connectionReturned(nanos);
            } catch (Throwable e) {
                l.failed("connectionReturned", e);
            }
        }
    }

    void leakSuspected(String threadName, long heldNanos, Throwable borrowSite) {
        for (Listener l : listeners) {
            try {
                l.listener.leakSuspected(threadName, heldNanos, borrowSite);
            } catch (Throwable e) {
                l.failed("leakSuspected", e);
            }
        }
    }

    void evicted(EvictionReason reason) {
        evictions.get(reason).increment();
        for (Listener l : listeners) {
            try {
                l.listener.connectionEvicted(reason);
            } catch (Throwable e) {
                l.failed("connectionEvicted", e);
            }
        }
    }

    /** A registered listener, and whether its failures have been reported yet. */
    private final class Listener {

        final PoolListener listener;
        private volatile boolean reported;

        Listener(PoolListener listener) {
            this.listener = listener;
        }

        void failed(String callback, Throwable e) {
            if (!reported) {
                reported = true;
                log.warn("Pool '{}': listener {} threw from {}; the pool ignores it and carries on (further failures of this listener are logged at DEBUG)",
                        poolName, listener, callback, e);
            } else {
                log.debug("Pool '{}': listener {} threw from {}", poolName, listener, callback, e);
            }
        }
    }
}
