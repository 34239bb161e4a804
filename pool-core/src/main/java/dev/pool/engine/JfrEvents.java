package dev.pool.engine;

import dev.pool.AcquireOutcome;
import dev.pool.EvictionReason;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import jdk.jfr.StackTrace;

/**
 * The pool's JDK Flight Recorder events, category {@code Pool}, and the one switch that keeps them
 * off the lending fast path.
 *
 * <p>A JFR event measures its own duration between {@code begin()} and {@code end()} of one event
 * object, so an event with a real duration must exist from the start of what it times: the lease
 * event from the borrow to the return, the acquire event from the start of a wait. Making one on
 * every borrow would put an allocation on the fast path even with no recording. So events are made
 * only while {@link #recording} is true, which a {@link FlightRecorderListener} keeps: true while at
 * least one recording (a {@code jcmd JFR.start}, {@code -XX:StartFlightRecording}, a
 * {@code RecordingStream}) runs. With none, the pool's cost is one read of that volatile boolean per
 * borrow; the listener is registered without starting the recorder. While a recording runs, each
 * event still asks JFR whether that recording enables it ({@code isEnabled()}, before the stack
 * walk that names a lease's site) and whether it passes the threshold ({@code commit()}).
 * {@code dev.pool.ConnectionLease} is off unless a recording turns it on: with it on, every borrow
 * walks its stack and allocates about 2.6 KB (JMH, {@code -XX:StartFlightRecording} with it on:
 * 9 against 8,400 borrow/return cycles per millisecond with it off, on a loaded machine), too much
 * for an always-on recording. The other events happen only on the slow path or off the borrower's
 * thread, and are on by default.
 *
 * <p>{@code dev.pool.ConnectionAcquire} covers a {@code getConnection()} that had to wait (a borrow
 * that finds an idle connection takes well under a microsecond and is not an event, as an
 * uncontended monitor enter is not a {@code jdk.JavaMonitorEnter}); {@code dev.pool.AcquireTimeout}
 * those of them that gave up at {@code connection-wait-timeout}.
 */
final class JfrEvents {

    /** True while some JFR recording runs; kept by {@link Watcher}. */
    static volatile boolean recording;

    /** Close reason of connections closed because the pool closes or quiesces, not by a rule. */
    static final String SHUTDOWN = "shutdown";

    static {
        try {
            FlightRecorder.addListener(new Watcher());
        } catch (LinkageError | SecurityException e) {
            // a runtime without the jdk.jfr module, or a security manager that refuses: no events
        }
    }

    private JfrEvents() {
    }

    /** Makes sure the listener is registered before the first pool lends (a no-op after the first call). */
    static void init() {
    }

    // ---- the events ------------------------------------------------------------------------------

    @Name("dev.pool.ConnectionAcquire")
    @Label("Connection Acquire")
    @Category("Pool")
    @Description("A getConnection() that found no idle connection and waited; the duration is the wait")
    @StackTrace(false) // the site names the caller without the pool's own frames
    static final class Acquire extends Event {
        @Label("Pool")
        String pool;
        @Label("Site")
        @Description("The first frame of the caller's stack outside the pool, JDBC, Spring and the JDK")
        String site;
        @Label("Outcome")
        @Description("success, timeout (connection-wait-timeout passed) or failure (closed pool, failed connect, interrupt)")
        String outcome;
    }

    @Name("dev.pool.AcquireTimeout")
    @Label("Acquire Timeout")
    @Category("Pool")
    @Description("A getConnection() that gave up at connection-wait-timeout; the duration is the wait")
    @StackTrace(false)
    static final class Timeout extends Event {
        @Label("Pool")
        String pool;
        @Label("Site")
        @Description("The first frame of the caller's stack outside the pool, JDBC, Spring and the JDK")
        String site;
        @Label("Active")
        int active;
        @Label("Idle")
        int idle;
        @Label("Pending")
        @Description("Threads waiting, this one included")
        int pending;
        @Label("Max Size")
        int maxSize;
    }

    @Name("dev.pool.ConnectionLease")
    @Label("Connection Lease")
    @Category("Pool")
    @Description("A borrowed connection, from getConnection() to close(); the duration is the hold")
    @StackTrace(false) // recorded on return; the site names the borrower
    @Enabled(false) // naming the site walks the borrower's stack on every borrow: a recording asks for it
    static final class Lease extends Event {
        @Label("Pool")
        String pool;
        @Label("Site")
        @Description("The first frame of the borrower's stack outside the pool, JDBC, Spring and the JDK")
        String site;
    }

    @Name("dev.pool.ConnectionOpen")
    @Label("Connection Open")
    @Category("Pool")
    @Description("A physical connect; the duration is the connect")
    @StackTrace(false) // always a pool thread
    static final class Open extends Event {
        @Label("Pool")
        String pool;
        @Label("Success")
        boolean success;
    }

    @Name("dev.pool.ConnectionClose")
    @Label("Connection Close")
    @Category("Pool")
    @Description("A physical close; the duration is the close")
    @StackTrace(false)
    static final class Close extends Event {
        @Label("Pool")
        String pool;
        @Label("Reason")
        @Description("The eviction reason (idle-time, reuse-time, broken, ...), or shutdown when the pool closes or quiesces")
        String reason;
    }

    // ---- what the engine calls, only while recording is true --------------------------------------

    /** A wait begins: its acquire and timeout events, begun now (either is dropped if disabled). */
    static Waiting waitBegins(String pool) {
        Acquire acquire = new Acquire();
        Timeout timeout = new Timeout();
        if (!acquire.isEnabled() && !timeout.isEnabled()) {
            return null;
        }
        String site = CallSite.ofCaller(); // a wait is the slow path already; microseconds against it
        acquire.begin();
        timeout.begin();
        return new Waiting(pool, site, acquire, timeout);
    }

    /** A lease begins: its event, with the borrower's site, or null if no recording wants leases. */
    static Lease leaseBegins(String pool) {
        Lease lease = new Lease();
        if (!lease.isEnabled()) {
            return null;
        }
        lease.pool = pool;
        lease.site = CallSite.ofCaller();
        lease.begin();
        return lease;
    }

    static void leaseEnds(Lease lease) {
        lease.end();
        if (lease.shouldCommit()) {
            lease.commit();
        }
    }

    static Open openBegins() {
        Open open = new Open();
        if (!open.isEnabled()) {
            return null;
        }
        open.begin();
        return open;
    }

    static void openEnds(Open open, String pool, boolean success) {
        open.end();
        if (open.shouldCommit()) {
            open.pool = pool;
            open.success = success;
            open.commit();
        }
    }

    static Close closeBegins() {
        Close close = new Close();
        if (!close.isEnabled()) {
            return null;
        }
        close.begin();
        return close;
    }

    static void closeEnds(Close close, String pool, EvictionReason reason) {
        close.end();
        if (close.shouldCommit()) {
            close.pool = pool;
            close.reason = reason != null ? reason.tag() : SHUTDOWN;
            close.commit();
        }
    }

    /** The events of one wait. */
    static final class Waiting {

        private final String pool;
        private final String site;
        private final Acquire acquire;
        private final Timeout timeout;

        private Waiting(String pool, String site, Acquire acquire, Timeout timeout) {
            this.pool = pool;
            this.site = site;
            this.acquire = acquire;
            this.timeout = timeout;
        }

        void ended(AcquireOutcome outcome) {
            acquire.end();
            if (acquire.shouldCommit()) {
                acquire.pool = pool;
                acquire.site = site;
                acquire.outcome = outcome.tag();
                acquire.commit();
            }
        }

        /** The wait timed out; {@code pending} counts this caller. */
        void timedOut(int active, int idle, int pending, int maxSize) {
            timeout.end();
            if (timeout.shouldCommit()) {
                timeout.pool = pool;
                timeout.site = site;
                timeout.active = active;
                timeout.idle = idle;
                timeout.pending = pending;
                timeout.maxSize = maxSize;
                timeout.commit();
            }
        }
    }

    /**
     * Keeps {@link #recording}: the set of running recordings, by id, changed as JFR reports each
     * recording's state. Added before JFR starts, it is told when it does.
     */
    private static final class Watcher implements FlightRecorderListener {

        private final Set<Long> running = ConcurrentHashMap.newKeySet();

        @Override
        public synchronized void recorderInitialized(FlightRecorder recorder) {
            FlightRecorder.register(Acquire.class);
            FlightRecorder.register(Timeout.class);
            FlightRecorder.register(Lease.class);
            FlightRecorder.register(Open.class);
            FlightRecorder.register(Close.class);
            for (Recording r : recorder.getRecordings()) {
                recordingStateChanged(r);
            }
        }

        @Override
        public synchronized void recordingStateChanged(Recording r) {
            if (r.getState() == RecordingState.RUNNING) {
                running.add(r.getId());
            } else {
                running.remove(r.getId());
            }
            recording = !running.isEmpty();
        }
    }
}
