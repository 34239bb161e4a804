package dev.pool.engine;

import dev.pool.AcquireOutcome;
import dev.pool.EvictionReason;
import dev.pool.PoolListener;
import dev.pool.Reset;
import dev.pool.PoolStats;
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
    /** By {@link Reset#ordinal()}. */
    private final LongAdder[] resets = new LongAdder[Reset.values().length];
    private final Map<RejectionReason, LongAdder> rejections = new EnumMap<>(RejectionReason.class);

    Events(String poolName) {
        this.poolName = poolName;
        for (EvictionReason reason : EvictionReason.values()) {
            evictions.put(reason, new LongAdder());
        }
        for (int i = 0; i < resets.length; i++) {
            resets[i] = new LongAdder();
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

    Map<Reset, Long> resets() {
        Map<Reset, Long> counts = new EnumMap<>(Reset.class);
        for (Reset reset : Reset.values()) {
            counts.put(reset, resets[reset.ordinal()].sum());
        }
        return counts;
    }

    /** A return needed the resets in {@code mask} (one bit per {@link Reset#ordinal()}). */
    void reset(int mask) {
        for (int i = 0; i < resets.length; i++) {
            if ((mask & 1 << i) != 0) {
                resets[i].increment();
            }
        }
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

    /**
     * A wait begins: what the listeners and JFR follow of it, or null if nobody does (no listener
     * returned a {@link PoolListener.Wait} and no recording wants the acquire events).
     */
    Waiting waitStarted() {
        Listener[] current = listeners;
        PoolListener.Wait[] waits = null;
        for (int i = 0; i < current.length; i++) {
            try {
                PoolListener.Wait wait = current[i].listener.waitStarted();
                if (wait != null) {
                    if (waits == null) {
                        waits = new PoolListener.Wait[current.length];
                    }
                    waits[i] = wait;
                }
            } catch (Throwable e) {
                current[i].failed("waitStarted", e);
            }
        }
        JfrEvents.Waiting flight = JfrEvents.recording ? JfrEvents.waitBegins(poolName) : null;
        return waits == null && flight == null ? null : new Waiting(current, waits, flight);
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

    /** One wait that listeners or JFR follow: told once how it ended. */
    final class Waiting {

        private final Listener[] listeners;
        /** Parallel to {@link #listeners}; null where a listener does not follow waits, or null for none. */
        private final PoolListener.Wait[] waits;
        private final JfrEvents.Waiting flight;
        private boolean timedOut;
        private boolean rejected;

        private Waiting(Listener[] listeners, PoolListener.Wait[] waits, JfrEvents.Waiting flight) {
            this.listeners = listeners;
            this.waits = waits;
            this.flight = flight;
        }

        /** The wait timed out: the {@code dev.pool.AcquireTimeout} event; {@link #failed} follows. */
        void timedOut(PoolStats stats) {
            timedOut = true;
            if (flight != null) {
                flight.timedOut(stats.active(), stats.idle(), stats.pending() + 1, stats.maxSize());
            }
        }

        /** Admission control refused the wait (its queue is full, it would time out, a deadlock); {@link #failed} follows. */
        void rejected() {
            rejected = true;
        }

        /** The wait ended in {@code error}: a timeout or a rejection if told so, else a failure. */
        void failed(SQLException error) {
            ended(timedOut ? AcquireOutcome.TIMEOUT : rejected ? AcquireOutcome.REJECTED : AcquireOutcome.FAILURE, error);
        }

        void ended(AcquireOutcome outcome, SQLException error) {
            if (flight != null) {
                flight.ended(outcome);
            }
            if (waits == null) {
                return;
            }
            for (int i = 0; i < waits.length; i++) {
                if (waits[i] != null) {
                    try {
                        waits[i].ended(outcome, error);
                    } catch (Throwable e) {
                        listeners[i].failed("Wait.ended", e);
                    }
                }
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
