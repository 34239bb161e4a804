package dev.pool.benchmarks.load;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The capacity the overload loads are multiples of: as many threads as the pool has connections,
 * each owning a connection and running the statement back to back, no pool in between. It is the
 * most those connections serve on this machine now, measured like a cell (warm-up, then the window)
 * at the start of every round, so the offered rates follow the machine's load from round to round.
 */
final class CapacityRun {

    private final Database database;
    private final OverloadOptions options;
    private final int round;

    CapacityRun(Database database, OverloadOptions options, int round) {
        this.database = database;
        this.options = options;
        this.round = round;
    }

    /** The capacity, or throws if no statement completed in the window (there is nothing to offer). */
    CapacityResult run() throws SQLException, InterruptedException {
        OverloadStatement statement = options.overloadStatement();
        MeasurementWindow window = new MeasurementWindow();
        AtomicLong completed = new AtomicLong();
        Map<String, Long> errors = new TreeMap<>();
        Map<String, String> examples = new TreeMap<>();
        int threadCount = options.poolSize();
        try (DedicatedConnections connections = new DedicatedConnections(database, "pool-overload-capacity-" + round, threadCount)) {
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < threadCount; i++) {
                int index = i;
                Thread thread = ClientThreads.platform("overload-capacity-").newThread(() -> {
                    long mine = 0;
                    while (!window.isOver()) {
                        boolean measured = window.isMeasuring();
                        try {
                            Connection connection = connections.acquire(index);
                            statement.run(connection);
                            if (measured && window.isMeasuring()) {
                                mine++;
                            }
                        } catch (SQLException | RuntimeException e) {
                            synchronized (errors) {
                                String type = Client.errorType(e);
                                errors.merge(type, 1L, Long::sum);
                                examples.putIfAbsent(type, String.valueOf(e.getMessage()));
                            }
                        }
                    }
                    completed.addAndGet(mine);
                });
                threads.add(thread);
                thread.start();
            }
            TimeUnit.NANOSECONDS.sleep(options.warmup().toNanos());
            window.open();
            TimeUnit.NANOSECONDS.sleep(options.duration().toNanos());
            window.close();
            for (Thread thread : threads) {
                thread.join(CellRun.GRACE.toMillis());
            }
        }
        CapacityResult result;
        synchronized (errors) {
            result = new CapacityResult(round, threadCount, window.lengthNanos(), completed.get(), new TreeMap<>(errors),
                    new TreeMap<>(examples), Machine.loadAverage());
        }
        if (result.statements() == 0) {
            throw new IllegalStateException("No statement completed on " + threadCount + " dedicated connections in "
                    + MarkdownReport.seconds(result.windowNanos()) + ", so there is no capacity to offer multiples of; errors: "
                    + errors + " " + examples);
        }
        return result;
    }
}
