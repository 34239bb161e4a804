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
 * and measure how soon the pool connected once it came back. Wants no timings, so adding it does
 * not change how the pool runs.
 */
public final class ConnectRecorder implements PoolListener {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Long> failed = new ArrayList<>();
    private final List<Long> created = new ArrayList<>();
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
        record(created, null);
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
