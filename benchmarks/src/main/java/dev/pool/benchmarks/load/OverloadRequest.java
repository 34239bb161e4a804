package dev.pool.benchmarks.load;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * One request of the overload scenario, on a thread of its own: borrow a connection as its
 * contender does, run the statement, give the connection back, and tell the tally how it ended.
 * Its budget counts from its scheduled arrival, not from when its thread got to run, so a harness
 * that falls behind makes requests later, never more lenient.
 */
final class OverloadRequest implements Runnable {

    private final DataSource pool;
    private final OverloadContender.Borrow borrow;
    private final OverloadStatement statement;
    private final OverloadTally tally;
    private final long arrivalNanos;
    private final long deadlineNanos;
    private final boolean measured;

    OverloadRequest(DataSource pool, OverloadContender.Borrow borrow, OverloadStatement statement, OverloadTally tally,
            long arrivalNanos, Duration budget, boolean measured) {
        this.pool = pool;
        this.borrow = borrow;
        this.statement = statement;
        this.tally = tally;
        this.arrivalNanos = arrivalNanos;
        this.deadlineNanos = arrivalNanos + budget.toNanos();
        this.measured = measured;
    }

    @Override
    public void run() {
        try {
            long began = System.nanoTime();
            tally.started(measured, began - arrivalNanos);
            tally.waiting(measured);
            Connection connection;
            try {
                connection = borrow.borrow(pool, Duration.ofNanos(deadlineNanos - began));
            } catch (SQLException | RuntimeException e) {
                tally.answered();
                tally.failed(measured, System.nanoTime() - arrivalNanos, e);
                return;
            }
            tally.answered();
            Exception failure = use(connection);
            long elapsed = System.nanoTime() - arrivalNanos;
            if (failure == null) {
                tally.served(measured, elapsed);
            } else {
                tally.failed(measured, elapsed, failure);
            }
        } finally {
            tally.finished();
        }
    }

    /** Runs the statement and gives the connection back; the first failure, or null. */
    private Exception use(Connection connection) {
        Exception failure = null;
        try {
            statement.run(connection, deadlineNanos);
        } catch (SQLException | RuntimeException e) {
            failure = e;
        } finally {
            try {
                connection.close();
            } catch (SQLException | RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }
}
