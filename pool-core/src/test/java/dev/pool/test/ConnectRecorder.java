package dev.pool.test;

import dev.pool.PoolListener;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hears a pool's connect attempts: when each failed and when each new connection was opened
 * ({@link System#nanoTime()}), so a test can count attempts per second while the database is down
 * and measure how soon the pool connected once it came back; and from the time each successful
 * connect took, how many ran at once. Wants no timings, so adding it does not change how the pool
 * runs (the pool measures every connect anyway).
 */
public final class ConnectRecorder implements PoolListener {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Long> failed = new ArrayList<>();
    private final List<Long> created = new ArrayList<>();
    private final List<long[]> connects = new ArrayList<>(); // [began, ended] of each successful connect
    private SQLException lastError;

    @Override
    public boolean wantsTimings() {
        return false;
    }

    @Override
    public void connectFailed(SQLException error) {
        record(failed, error);
    }

    @Override
    public void connectionCreated(long nanos) {
        long ended = System.nanoTime();
        lock.lock();
        try {
            connects.add(new long[] {ended - nanos, ended});
        } finally {
            lock.unlock();
        }
        record(created, null);
    }

    /**
     * When the first successful connect that ended at or after {@code since} began, or 0 if none has:
     * how soon the pool tried again, apart from how long the database then took to accept.
     */
    public long firstConnectBeganEndingSince(long since) {
        lock.lock();
        try {
            return connects.stream().filter(c -> c[1] - since >= 0).mapToLong(c -> c[0]).findFirst().orElse(0);
        } finally {
            lock.unlock();
        }
    }

    /** The most successful connects that were in progress at one instant: 1 if they ran one after another. */
    public int maxConnectsAtOnce() {
        List<long[]> events = new ArrayList<>(); // +1 at a connect's start, -1 at its end; an end sorts before a start at the same instant
        lock.lock();
        try {
            for (long[] connect : connects) {
                events.add(new long[] {connect[0], 1});
                events.add(new long[] {connect[1], -1});
            }
        } finally {
            lock.unlock();
        }
        events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int running = 0;
        int most = 0;
        for (long[] event : events) {
            running += (int) event[1];
            most = Math.max(most, running);
        }
        return most;
    }

    private void record(List<Long> times, SQLException error) {
        long now = System.nanoTime();
        lock.lock();
        try {
            times.add(now);
            if (error != null) {
                lastError = error;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Times of failed connects at or after {@code since}. */
    public List<Long> failedSince(long since) {
        return since(failed, since);
    }

    /** Times of opened connections at or after {@code since}. */
    public List<Long> createdSince(long since) {
        return since(created, since);
    }

    public SQLException lastError() {
        lock.lock();
        try {
            return lastError;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@code count} connects have failed since {@code since}; false if not within {@code timeout}. */
    public boolean awaitFailures(int count, long since, Duration timeout) throws InterruptedException {
        return awaitCount(failed, count, since, timeout);
    }

    /** Waits until {@code count} connections were opened since {@code since}; false if not within {@code timeout}. */
    public boolean awaitCreated(int count, long since, Duration timeout) throws InterruptedException {
        return awaitCount(created, count, since, timeout);
    }

    private boolean awaitCount(List<Long> times, int count, long since, Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (countSince(times, since) < count) {
                if (left <= 0) {
                    return false;
                }
                left = changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private List<Long> since(List<Long> times, long since) {
        lock.lock();
        try {
            return times.stream().filter(t -> t - since >= 0).toList();
        } finally {
            lock.unlock();
        }
    }

    private static int countSince(List<Long> times, long since) {
        int n = 0;
        for (long t : times) {
            if (t - since >= 0) {
                n++;
            }
        }
        return n;
    }

    /** The most of {@code times} (sorted) that fall in any one window of this length. */
    public static int maxInAnyWindow(List<Long> times, Duration window) {
        long width = window.toNanos();
        int best = 0;
        int start = 0;
        for (int end = 0; end < times.size(); end++) {
            while (times.get(end) - times.get(start) >= width) {
                start++;
            }
            best = Math.max(best, end - start + 1);
        }
        return best;
    }

    /** Attempts per second over {@code [from, to]}. */
    public static double perSecond(int count, long from, long to) {
        return count / ((to - from) / (double) TimeUnit.SECONDS.toNanos(1));
    }
}
