package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pool.test.InvariantChecker;
import dev.pool.test.TestClock;
import dev.pool.test.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.postgresql.PGConnection;

/**
 * The overload scenario, shared by the platform-thread and virtual-thread tests: {@value #CALLERS}
 * callers on a pool of 10 real PostgreSQL connections for {@link #RUN_TIME}, each borrowing, holding
 * its connection for a short query and giving it back, over and over, with a short
 * {@code connection-wait-timeout} ({@link #WAIT_TIMEOUT}), early rejection off and every other setting at its default.
 *
 * <p>What must hold: every call succeeds or fails with {@link SQLTransientConnectionException}; no
 * call outlasts the wait timeout by more than scheduling slack ({@link #SLACK}) and no caller
 * hangs; no caller is served more rarely or more often than chance allows were every call alike (see
 * {@link Result#leastLikelyServedCount()}: it holds however slow the machine); the {@link InvariantChecker} sees
 * nothing wrong; afterwards nothing is lent or pending, and once {@code max-idle-time} has passed
 * the pool is back to {@code min-idle} (0 by default) with no backend left on the server.
 */
final class Overload {

    static final int CALLERS = 1000;
    static final int MAX_SIZE = 10;
    static final Duration WAIT_TIMEOUT = Duration.ofMillis(500);
    static final Duration RUN_TIME = Duration.ofSeconds(5);
    /**
     * How far past the wait timeout a call may end: a thousand threads share two CPUs here, beside
     * other builds, and hundreds of waiters that arrived together time out together. Generous on
     * purpose (a 1 s slack was a tight absolute on a loaded machine): what it tells apart is a call
     * the pool ends at its deadline from one stuck in the pool; how precisely the deadline is kept is
     * {@code BorrowingTest}'s to show, on a pool with nothing else running.
     */
    static final Duration SLACK = Duration.ofSeconds(5);
    /**
     * Holds the connection about 4 ms: ten connections serve ~2,400 calls a second, so 1000 callers
     * queue about as long as the wait timeout, and some of them time out (that path is under test too).
     */
    private static final String WORK = "select pg_sleep(0.004)";

    /**
     * What the callers saw. {@code served[i]} is how many calls caller {@code i} was served,
     * {@code timedOut[i]} how many of its calls timed out.
     */
    record Result(long[] served, long[] timedOut, long timeouts, long timeoutsCounted, List<Throwable> unexpected,
            long longestCallNanos, List<String> overdue, List<String> hung) {

        /** Calls caller {@code i} completed, served or timed out. */
        long calls(int i) {
            return served[i] + timedOut[i];
        }

        long fewestCalls() {
            return java.util.stream.IntStream.range(0, served.length).mapToLong(this::calls).min().orElse(0);
        }

        /**
         * The fairness check that holds however slow the machine: if every call had the same chance
         * of being served (the share served overall), how likely is a count as far out as that of
         * the caller the numbers make least likely, served that rarely or that often? A pool that
         * lets running threads barge past waiters serves a few callers hundreds of times and others
         * never, far beyond chance; a loaded machine that times out many calls only lowers the
         * share, and with it what counts as far out.
         */
        double leastLikelyServedCount() {
            double share = total() / (double) (total() + timeouts);
            double least = 1;
            for (int i = 0; i < served.length; i++) {
                long n = calls(i);
                long k = served[i];
                least = Math.min(least, Math.min(atMost(k, n, share), atMost(n - k, n, 1 - share))); // P(X <= k), P(X >= k)
            }
            return least;
        }

        /** P(X <= k) for X binomial with n trials of chance p. */
        static double atMost(long k, long n, double p) {
            if (k >= n || p <= 0) {
                return 1;
            }
            if (p >= 1) {
                return 0;
            }
            double term = Math.pow(1 - p, n); // P(X = 0)
            double sum = term;
            for (long j = 0; j < k; j++) {
                term *= (n - j) / (double) (j + 1) * p / (1 - p);
                sum += term;
            }
            return Math.min(1, sum);
        }

        long least() {
            return Arrays.stream(served).min().orElse(0);
        }

        long median() {
            long[] sorted = served.clone();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2];
        }

        long total() {
            return Arrays.stream(served).sum();
        }

        @Override
        public String toString() {
            return String.format("%d callers: %d calls served, %d timed out; per caller least %d, median %d (ratio %.2f, "
                            + "chance of the least likely caller's count %.1e); longest call %d ms; %d unexpected errors, %d hung",
                    served.length, total(), timeouts, least(), median(), median() == 0 ? 0.0 : least() / (double) median(),
                    leastLikelyServedCount(),
                    TimeUnit.NANOSECONDS.toMillis(longestCallNanos), unexpected.size(), hung.size())
                    + (overdue.isEmpty() ? "" : "; overdue: " + overdue);
        }
    }

    private Overload() {
    }

    /** The pool under test: defaults, but max-size 10 and the short wait, on a clock the test moves. */
    static PoolDataSource pool(TestDatabase db, String name, String applicationName, TestClock clock) {
        PoolConfig config = new PoolConfig();
        config.setName(name);
        config.setUrl(db.jdbcUrl(applicationName));
        config.setUsername(db.username());
        config.setPassword(db.password());
        config.setMaxSize(MAX_SIZE);
        config.setConnectionWaitTimeout(WAIT_TIMEOUT);
        // the scenario is the queue's fairness with callers that retry at once: early rejection would
        // turn each rejected caller into a spinning one (README, "Overload protection")
        config.setEarlyRejection(false);
        return new PoolDataSource(config, clock);
    }

    static InvariantChecker checker(PoolDataSource pool, TestDatabase db, String applicationName) {
        return new InvariantChecker(pool, MAX_SIZE, PGConnection.class).serverSide(db, applicationName).start();
    }

    /** Runs the callers on threads from {@code threads}; returns once all ended or were given up on. */
    static Result run(PoolDataSource pool, InvariantChecker checker, ThreadFactory threads) throws InterruptedException {
        long timeoutsBefore = pool.stats().timeouts();
        long[] served = new long[CALLERS];
        long[] timedOutPerCaller = new long[CALLERS];
        AtomicLong timeouts = new AtomicLong();
        AtomicLong longest = new AtomicLong();
        Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        CountDownLatch ready = new CountDownLatch(CALLERS);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(CALLERS);
        long[] deadline = new long[1]; // written before go opens, read after: the latch publishes it
        AtomicLongArray callStarted = new AtomicLongArray(CALLERS); // 0 while a caller is not in getConnection()
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            int caller = i;
            Thread thread = threads.newThread(() -> {
                try {
                    ready.countDown();
                    go.await();
                    while (System.nanoTime() - deadline[0] < 0) {
                        long began = System.nanoTime();
                        callStarted.set(caller, began);
                        try {
                            Connection c = checker.borrow();
                            callStarted.set(caller, 0);
                            longest.accumulateAndGet(System.nanoTime() - began, Math::max);
                            try (Statement s = c.createStatement()) {
                                s.execute(WORK);
                            } finally {
                                checker.giveBack(c);
                            }
                            served[caller]++;
                        } catch (SQLTransientConnectionException timedOut) {
                            callStarted.set(caller, 0);
                            longest.accumulateAndGet(System.nanoTime() - began, Math::max);
                            timedOutPerCaller[caller]++;
                            timeouts.incrementAndGet();
                        } catch (SQLException | RuntimeException e) {
                            unexpected.add(e);
                        }
                    }
                } catch (InterruptedException e) {
                    unexpected.add(e);
                } finally {
                    done.countDown();
                }
            });
            thread.setDaemon(true);
            callers.add(thread);
            thread.start();
        }
        assertThat(ready.await(60, TimeUnit.SECONDS)).as("all callers started").isTrue();
        deadline[0] = System.nanoTime() + RUN_TIME.toNanos();
        go.countDown();
        List<String> overdue = new ArrayList<>();
        long overdueAfter = WAIT_TIMEOUT.plus(SLACK.dividedBy(2)).toNanos();
        // while the callers run, look for calls well past the wait timeout, and say where they are
        while (!done.await(50, TimeUnit.MILLISECONDS) && System.nanoTime() - deadline[0] < TimeUnit.SECONDS.toNanos(20)) {
            long now = System.nanoTime();
            for (int i = 0; i < CALLERS && overdue.size() < 5; i++) {
                long began = callStarted.get(i);
                if (began != 0 && now - began > overdueAfter) {
                    overdue.add(callers.get(i).getName() + " in getConnection() for " + TimeUnit.NANOSECONDS.toMillis(now - began)
                            + " ms at " + Arrays.toString(callers.get(i).getStackTrace()));
                    callStarted.set(i, 0); // reported once
                }
            }
        }
        List<String> hung = new ArrayList<>();
        long joinDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (Thread caller : callers) {
            // a caller that counted down may still be on its way out
            caller.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinDeadline - System.nanoTime())));
            if (caller.isAlive()) {
                hung.add(caller.getName() + " " + Arrays.toString(caller.getStackTrace()));
            }
        }
        return new Result(served, timedOutPerCaller, timeouts.get(), pool.stats().timeouts() - timeoutsBefore, List.copyOf(unexpected), longest.get(),
                overdue, hung);
    }

    /** Everything the scenario promises, checked on its result and on the pool afterwards. */
    static void assertHeld(Result result, PoolDataSource pool, InvariantChecker checker, TestDatabase db, String applicationName,
            TestClock clock) {
        assertThat(result.hung()).as("callers still running long after the run ended").isEmpty();
        assertThat(result.unexpected()).as("calls that failed other than by timing out").isEmpty();
        assertThat(TimeUnit.NANOSECONDS.toMillis(result.longestCallNanos())).as("longest getConnection(), ms; overdue calls seen: %s",
                result.overdue()).isLessThanOrEqualTo(WAIT_TIMEOUT.plus(SLACK).toMillis());
        assertThat(result.fewestCalls()).as("every caller had calls end").isPositive();
        // one in ten million per caller and tail: about one false alarm in five thousand runs of 1000 callers
        assertThat(result.leastLikelyServedCount()).as("chance, were every call alike, of a caller served as rarely or as often "
                + "as the least likely one; %s", result).isGreaterThanOrEqualTo(1e-7);
        checker.assertNoViolations();
        checker.assertQuiescent(Duration.ofSeconds(10));
        assertThat(pool.stats().active()).isZero();
        assertThat(result.timeoutsCounted()).as("timeouts the pool counted").isEqualTo(result.timeouts());

        clock.advance(pool.getConfig().getMaxIdleTime().plusMinutes(1));
        pool.runHousekeeping();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(pool.stats().idle()).isEqualTo(pool.getMinIdle());
            assertThat(pool.stats().total()).isEqualTo(pool.getMinIdle());
            assertThat(db.backendCount(applicationName)).isEqualTo(pool.getMinIdle());
        });
    }
}
