package dev.pool.test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Threads that borrow through an {@link InvariantChecker}, run a query and give the connection back,
 * over and over, recording every outcome: how many calls succeeded, each failure with when its
 * connection was borrowed, and the first success after a {@link #mark()} (how a test measures when
 * the pool served again after a fault).
 */
public final class Load {

    /** What each borrower does with its connection. */
    @FunctionalInterface
    public interface Work {
        void use(Connection connection) throws SQLException;
    }

    /** {@code select 1}. */
    public static final Work SELECT_ONE = connection -> {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery("select 1")) {
            result.next();
        }
    };

    /**
     * A call that failed. {@code borrowedAt} is {@link System#nanoTime()} when {@code getConnection()}
     * returned, or 0 if it was {@code getConnection()} that failed.
     */
    public record Failure(long borrowedAt, long failedAt, Throwable error) {

        /** A connection-class SQLState ({@code 08xxx}, {@code 57P01}..{@code 57P03}): the database or the network went away. */
        public boolean isConnectionClass() {
            return error instanceof SQLException e && e.getSQLState() != null && e.getSQLState().matches("08...|57P0[1-3]");
        }

        public boolean isTimeout() {
            return error instanceof SQLTransientConnectionException;
        }

        @Override
        public String toString() {
            return error instanceof SQLException e ? e.getClass().getSimpleName() + "(" + e.getSQLState() + "): " + e.getMessage()
                    : String.valueOf(error);
        }
    }

    private final InvariantChecker checker;
    private final Work work;
    private final int threads;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch ended;
    private final AtomicLong successes = new AtomicLong();
    private final Queue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    private volatile long markedAt = Long.MAX_VALUE;
    private final AtomicLong firstSuccessSinceMark = new AtomicLong();
    private final AtomicLong successesAtMark = new AtomicLong();
    private volatile CountDownLatch servedSinceMark = new CountDownLatch(1);

    public Load(InvariantChecker checker, int threads, Work work) {
        this.checker = checker;
        this.work = work;
        this.threads = threads;
        this.ended = new CountDownLatch(threads);
    }

    public Load start() {
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(this::run, "load-" + i);
            thread.setDaemon(true);
            workers.add(thread);
            thread.start();
        }
        return this;
    }

    private void run() {
        try {
            while (running.get()) {
                long borrowedAt = 0;
                try {
                    Connection connection = checker.borrow();
                    borrowedAt = System.nanoTime();
                    try {
                        work.use(connection);
                    } finally {
                        checker.giveBack(connection);
                    }
                    successes.incrementAndGet();
                    if (borrowedAt - markedAt > 0 && firstSuccessSinceMark.compareAndSet(0, borrowedAt)) {
                        servedSinceMark.countDown();
                    }
                } catch (SQLException | RuntimeException e) {
                    failures.add(new Failure(borrowedAt, System.nanoTime(), e));
                }
            }
        } finally {
            ended.countDown();
        }
    }

    /** From now on, remember the first call that borrowed and succeeded. Returns the mark's time. */
    public long mark() {
        firstSuccessSinceMark.set(0);
        servedSinceMark = new CountDownLatch(1);
        successesAtMark.set(successes.get());
        markedAt = System.nanoTime();
        return markedAt;
    }

    /**
     * Waits for the first successful call since the {@link #mark()}; returns when it borrowed
     * ({@link System#nanoTime()}), or 0 if none within {@code timeout}.
     */
    public long awaitServedSinceMark(Duration timeout) throws InterruptedException {
        return servedSinceMark.await(timeout.toNanos(), TimeUnit.NANOSECONDS) ? firstSuccessSinceMark.get() : 0;
    }

    public long successes() {
        return successes.get();
    }

    public long successesSinceMark() {
        return successes.get() - successesAtMark.get();
    }

    public List<Failure> failures() {
        return new ArrayList<>(failures);
    }

    /** Stops the borrowers; true if every one of them ended within {@code timeout} (none hung). */
    public boolean stop(Duration timeout) throws InterruptedException {
        running.set(false);
        return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The borrowers still alive (for a failure message). */
    public List<String> stuck() {
        List<String> stuck = new ArrayList<>();
        for (Thread thread : workers) {
            if (thread.isAlive()) {
                stuck.add(thread.getName() + " " + thread.getState() + " at " + List.of(thread.getStackTrace()).subList(0, Math.min(8, thread.getStackTrace().length)));
            }
        }
        return stuck;
    }
}
