package dev.pool.benchmarks.load;

import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.HdrHistogram.Histogram;

/**
 * Runs one {@link OverloadCell} from start to end, and never longer than its bound: open the pool
 * (its acquire timeout = the budget) with a {@link BackendWatcher} counting its backends, offer
 * requests at the cell's rate through the warm-up, the window and one budget beyond it (so the
 * window's last requests meet the same queue as its first), wait for the requests to finish (at
 * most the budget plus {@link CellRun#GRACE}), close the pool (at most {@link CellRun#GRACE}), and
 * read the tally.
 *
 * <p>The dispatching thread starts each request's thread at the request's arrival time and never
 * waits for a request: arrivals are open loop. It parks between arrivals rather than spinning (a
 * spinning core would be taken from the pools on a 2-core machine); when it wakes late it starts the
 * overdue requests at once, with their arrival times unchanged, and the start lag shows it.
 */
final class OverloadRun {

    private final Database database;
    private final OverloadOptions options;
    private final OverloadCell cell;
    private final int round;
    private final double capacityPerSecond;

    OverloadRun(Database database, OverloadOptions options, OverloadCell cell, int round, double capacityPerSecond) {
        this.database = database;
        this.options = options;
        this.cell = cell;
        this.round = round;
        this.capacityPerSecond = capacityPerSecond;
    }

    OverloadResult run() throws SQLException, InterruptedException {
        String applicationName = cell.applicationName(round);
        double rate = capacityPerSecond * cell.load();
        try (BackendWatcher watcher = new BackendWatcher(database, applicationName)) {
            DataSource pool;
            try {
                pool = cell.contender().open(database, applicationName, options.poolSize(), options.budget());
            } catch (SQLException | RuntimeException e) {
                return failedToOpen(rate, e);
            }
            try {
                OverloadTally tally = new OverloadTally(options.budget());
                offer(pool, tally, rate);
                if (!tally.awaitDrained(options.budget().plus(CellRun.GRACE))) {
                    System.err.println("Requests of " + cell + " still running " + MarkdownReport.seconds(options.budget().plus(CellRun.GRACE).toNanos())
                            + " after the last arrival; moving on");
                }
                int maxBackends = watcher.stop();
                return result(tally, rate, maxBackends);
            } finally {
                CellRun.closeWithin(pool, CellRun.GRACE);
            }
        }
    }

    /** Starts a thread per arrival until one budget past the window; returns once the last has started. */
    private void offer(DataSource pool, OverloadTally tally, double rate) {
        ThreadFactory threads = options.virtualThreads()
                ? ClientThreads.virtual("overload-request-")
                : ClientThreads.platform("overload-request-");
        OverloadStatement statement = options.overloadStatement();
        OverloadContender.Borrow borrow = cell.contender().borrow();
        // the same seed for every pool of a round: each is offered the same requests at the same moments
        Arrivals arrivals = new Arrivals(options.arrivals(), rate, options.seed() + round);
        long start = System.nanoTime();
        long windowStart = start + options.warmup().toNanos();
        long windowEnd = windowStart + options.duration().toNanos();
        long end = windowEnd + options.budget().toNanos();
        for (long arrival = start + arrivals.next(); arrival < end; arrival = start + arrivals.next()) {
            waitUntil(arrival);
            boolean measured = arrival >= windowStart && arrival < windowEnd;
            tally.arrived(measured);
            threads.newThread(new OverloadRequest(pool, borrow, statement, tally, arrival, options.budget(), measured)).start();
        }
        tally.dispatchDone();
    }

    private static void waitUntil(long nanoTime) {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    private OverloadResult result(OverloadTally tally, double rate, int maxBackends) {
        long offered = tally.offered();
        long inBudget = tally.servedInBudget();
        long late = tally.servedLate();
        long failed = tally.failed();
        Histogram failures = tally.failureNanos();
        Histogram served = tally.servedNanos();
        return new OverloadResult(cell, round, capacityPerSecond, rate, options.duration().toNanos(),
                offered, inBudget, late, failed, offered - inBudget - late - failed,
                percentile(failures, 50), percentile(failures, 99), failures.getMaxValue(),
                percentile(served, 50), percentile(served, 99), percentile(tally.startLagNanos(), 99),
                tally.peakWaiting(), tally.peakAlive(), maxBackends, tally.errors(), tally.errorExamples(),
                Machine.loadAverage());
    }

    /** The percentile, or 0 for no values (HdrHistogram's own answer, made explicit). */
    private static long percentile(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile);
    }

    private OverloadResult failedToOpen(double rate, Exception e) {
        System.err.println("Could not open " + cell + ": " + e);
        String type = "open: " + Client.errorType(e);
        return new OverloadResult(cell, round, capacityPerSecond, rate, options.duration().toNanos(),
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                Map.of(type, 1L), Map.of(type, String.valueOf(e.getMessage())), Machine.loadAverage());
    }
}
