package dev.pool.benchmarks.load;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One client thread: acquire a connection, run the workload, release it, until the window closes.
 * It keeps its own tallies, unshared while it runs (so recording costs no contention), and the cell
 * reads them after joining the thread.
 *
 * <p>What counts: a transaction that completes while the window is open; an acquire that starts
 * while it is open, whether it succeeds or fails (a timed-out borrower waited too); and every error,
 * warm-up included, since a benchmark that fails calls must show it.
 */
final class Client implements Runnable {

    /** Acquire latencies up to a minute, to two significant digits: ~30 KB a client. */
    private static final long HIGHEST_LATENCY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final int index;
    private final ConnectionSource source;
    private final Workload workload;
    private final MeasurementWindow window;

    private final Histogram acquireNanos = new Histogram(HIGHEST_LATENCY_NANOS, 2);
    private final Map<String, Long> errors = new HashMap<>();
    private final Map<String, String> errorExamples = new HashMap<>();
    private long transactions;
    private volatile boolean finished;

    Client(int index, ConnectionSource source, Workload workload, MeasurementWindow window) {
        this.index = index;
        this.source = source;
        this.workload = workload;
        this.window = window;
    }

    @Override
    public void run() {
        try {
            while (!window.isOver()) {
                transact();
            }
        } finally {
            finished = true;
        }
    }

    private void transact() {
        boolean measured = window.isMeasuring();
        long start = System.nanoTime();
        Connection connection;
        try {
            connection = source.acquire(index);
        } catch (SQLException | RuntimeException e) {
            recordAcquire(measured, start);
            failed(e);
            return;
        }
        recordAcquire(measured, start);
        boolean done = false;
        try {
            workload.run(connection);
            done = true;
        } catch (SQLException | RuntimeException e) {
            failed(e);
        } finally {
            try {
                source.release(connection);
            } catch (SQLException | RuntimeException e) {
                failed(e);
                done = false;
            }
        }
        if (done && measured && window.isMeasuring()) {
            transactions++;
        }
    }

    private void recordAcquire(boolean measured, long start) {
        if (measured) {
            acquireNanos.recordValue(Math.min(System.nanoTime() - start, HIGHEST_LATENCY_NANOS));
        }
    }

    private void failed(Exception e) {
        String type = errorType(e);
        if (errors.merge(type, 1L, Long::sum) == 1) {
            errorExamples.put(type, String.valueOf(e.getMessage()));
        }
    }

    /** The exception's class and SQLState, e.g. {@code SQLTransientConnectionException 08001}. */
    static String errorType(Exception e) {
        String type = e.getClass().getSimpleName();
        if (e instanceof SQLException sql && sql.getSQLState() != null) {
            return type + " " + sql.getSQLState();
        }
        return type;
    }

    Histogram acquireNanos() {
        return acquireNanos;
    }

    long transactions() {
        return transactions;
    }

    Map<String, Long> errors() {
        return errors;
    }

    /** The first message of each error type this client saw. */
    Map<String, String> errorExamples() {
        return errorExamples;
    }

    /** False if the thread was still running when the cell gave up waiting for it. */
    boolean finished() {
        return finished;
    }
}
