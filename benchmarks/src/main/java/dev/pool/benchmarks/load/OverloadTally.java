package dev.pool.benchmarks.load;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What the requests of one overload cell counted, written by all of them at once and read by the
 * cell once they are done. Only requests that arrived inside the measurement window are counted
 * (outcomes, latencies, errors); the gauges of threads count every request alive, and their peaks
 * are taken when a measured request arrives or starts to wait.
 *
 * <p>Each measured request ends in exactly one of served within budget, served late or failed, so
 * {@code offered = in budget + late + failed} once all have finished; a request still running when
 * the cell stops waiting is the difference ({@code unfinished}).
 */
final class OverloadTally {

    /** Latencies up to a minute, to two significant digits. */
    private static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final long budgetNanos;

    /** Written by the dispatching thread only. */
    private long offered;
    private final LongAdder servedInBudget = new LongAdder();
    private final LongAdder servedLate = new LongAdder();
    private final LongAdder failed = new LongAdder();

    private final Histogram failureNanos = new ConcurrentHistogram(HIGHEST_NANOS, 2);
    private final Histogram servedNanos = new ConcurrentHistogram(HIGHEST_NANOS, 2);
    private final Histogram startLagNanos = new ConcurrentHistogram(HIGHEST_NANOS, 2);
    private final ConcurrentMap<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, String> errorExamples = new ConcurrentHashMap<>();

    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger alive = new AtomicInteger();
    private final AtomicInteger peakWaiting = new AtomicInteger();
    private final AtomicInteger peakAlive = new AtomicInteger();

    private volatile boolean dispatchDone;
    private final CountDownLatch drained = new CountDownLatch(1);

    OverloadTally(Duration budget) {
        this.budgetNanos = budget.toNanos();
    }

    /** A request arrived and its thread is about to start; called by the dispatching thread. */
    void arrived(boolean measured) {
        int now = alive.incrementAndGet();
        if (measured) {
            offered++;
            peakAlive.accumulateAndGet(now, Math::max);
        }
    }

    /** The request's thread began running {@code lagNanos} after the request's arrival. */
    void started(boolean measured, long lagNanos) {
        if (measured) {
            startLagNanos.recordValue(clamp(lagNanos));
        }
    }

    /** The request is about to ask the pool for a connection. */
    void waiting(boolean measured) {
        int now = waiting.incrementAndGet();
        if (measured) {
            peakWaiting.accumulateAndGet(now, Math::max);
        }
    }

    /** The pool answered the request, with a connection or an exception. */
    void answered() {
        waiting.decrementAndGet();
    }

    /** The request's statement completed {@code elapsedNanos} after its arrival. */
    void served(boolean measured, long elapsedNanos) {
        if (!measured) {
            return;
        }
        servedNanos.recordValue(clamp(elapsedNanos));
        if (elapsedNanos <= budgetNanos) {
            servedInBudget.increment();
        } else {
            servedLate.increment();
        }
    }

    /** The request failed {@code elapsedNanos} after its arrival. */
    void failed(boolean measured, long elapsedNanos, Exception e) {
        if (!measured) {
            return;
        }
        failed.increment();
        failureNanos.recordValue(clamp(elapsedNanos));
        String type = Client.errorType(e);
        errors.computeIfAbsent(type, key -> new LongAdder()).increment();
        errorExamples.putIfAbsent(type, String.valueOf(e.getMessage()));
    }

    /** The request's thread is done, whatever the outcome. */
    void finished() {
        if (alive.decrementAndGet() == 0 && dispatchDone) {
            drained.countDown();
        }
    }

    /** No more requests will arrive; called by the dispatching thread after the last {@link #arrived}. */
    void dispatchDone() {
        dispatchDone = true;
        if (alive.get() == 0) {
            drained.countDown();
        }
    }

    /**
     * Waits until every request has finished, at most {@code limit}; true if they all did. (Of a
     * request finishing as the dispatch ends, its {@link #finished} or {@link #dispatchDone} sees the
     * other's write, so the latch cannot be missed.)
     */
    boolean awaitDrained(Duration limit) throws InterruptedException {
        return drained.await(limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    long offered() {
        return offered;
    }

    long servedInBudget() {
        return servedInBudget.sum();
    }

    long servedLate() {
        return servedLate.sum();
    }

    long failed() {
        return failed.sum();
    }

    Histogram failureNanos() {
        return failureNanos;
    }

    Histogram servedNanos() {
        return servedNanos;
    }

    Histogram startLagNanos() {
        return startLagNanos;
    }

    int peakWaiting() {
        return peakWaiting.get();
    }

    int peakAlive() {
        return peakAlive.get();
    }

    Map<String, Long> errors() {
        Map<String, Long> counts = new TreeMap<>();
        errors.forEach((type, count) -> counts.put(type, count.sum()));
        return counts;
    }

    Map<String, String> errorExamples() {
        return new TreeMap<>(errorExamples);
    }

    private static long clamp(long nanos) {
        return Math.max(0, Math.min(nanos, HIGHEST_NANOS));
    }
}
