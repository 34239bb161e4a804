package dev.pool.benchmarks.load;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.HdrHistogram.Histogram;

/**
 * Runs one {@link Cell} from start to end, and never longer than its bound: open the pool (or the
 * dedicated connections) with a {@link BackendWatcher} counting its backends, start the clients,
 * warm up, measure, tell the clients to stop, wait for them (at most the wait timeout plus
 * {@link #GRACE}), close the pool (at most {@link #GRACE}), and add up what the clients counted.
 */
final class CellRun {

    /** Beyond the wait timeout, how long a client may take to finish, and a pool to close. */
    static final Duration GRACE = Duration.ofSeconds(10);

    private final Database database;
    private final LoadOptions options;
    private final Cell cell;
    private final int round;

    CellRun(Database database, LoadOptions options, Cell cell, int round) {
        this.database = database;
        this.options = options;
        this.cell = cell;
        this.round = round;
    }

    CellResult run() throws SQLException, InterruptedException {
        String applicationName = cell.applicationName();
        try (BackendWatcher watcher = new BackendWatcher(database, applicationName)) {
            DataSource pool = null;
            DedicatedConnections dedicated = null;
            ConnectionSource source;
            try {
                if (cell.isCeiling()) {
                    dedicated = new DedicatedConnections(database, applicationName, cell.clients());
                    source = dedicated;
                } else {
                    pool = cell.pool().open(database, applicationName, options.poolSize(), options.waitTimeout());
                    source = ConnectionSource.pooled(pool);
                }
            } catch (SQLException | RuntimeException e) {
                return failedToOpen(e);
            }
            try {
                List<Client> clients = new ArrayList<>();
                MeasurementWindow window = measure(source, clients);
                int maxBackends = watcher.stop();
                return result(window, clients, maxBackends);
            } finally {
                if (dedicated != null) {
                    dedicated.close();
                } else {
                    closeWithin(pool, GRACE);
                }
            }
        }
    }

    /** Starts the clients, warms up, measures, and waits for the clients to stop. */
    private MeasurementWindow measure(ConnectionSource source, List<Client> clients) throws InterruptedException {
        MeasurementWindow window = new MeasurementWindow();
        ThreadFactory threads = cell.virtualThreads()
                ? ClientThreads.virtual("load-client-")
                : ClientThreads.platform("load-client-");
        List<Thread> running = new ArrayList<>();
        for (int i = 0; i < cell.clients(); i++) {
            Client client = new Client(i, source, cell.workload(), window);
            clients.add(client);
            Thread thread = threads.newThread(client);
            running.add(thread);
            thread.start();
        }
        TimeUnit.NANOSECONDS.sleep(options.warmup().toNanos());
        window.open();
        TimeUnit.NANOSECONDS.sleep(options.duration().toNanos());
        window.close();

        long deadline = System.nanoTime() + options.waitTimeout().plus(GRACE).toNanos();
        for (Thread thread : running) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(thread, left);
            }
        }
        return window;
    }

    private CellResult result(MeasurementWindow window, List<Client> clients, int maxBackends) {
        Histogram acquires = new Histogram(TimeUnit.MINUTES.toNanos(1), 2);
        Map<String, Long> errors = new TreeMap<>();
        Map<String, String> examples = new TreeMap<>();
        long[] perClient = new long[clients.size()];
        long transactions = 0;
        int stuck = 0;
        for (int i = 0; i < clients.size(); i++) {
            Client client = clients.get(i);
            perClient[i] = client.transactions();
            transactions += perClient[i];
            if (!client.finished()) {
                // still running: its tallies may be mid-update, so only say it is stuck
                stuck++;
                continue;
            }
            acquires.add(client.acquireNanos());
            client.errors().forEach((type, count) -> errors.merge(type, count, Long::sum));
            client.errorExamples().forEach(examples::putIfAbsent);
        }
        Arrays.sort(perClient);
        long median = perClient[perClient.length / 2];
        int starved = (int) Arrays.stream(perClient).filter(count -> count == 0).count();
        return new CellResult(cell, round, window.lengthNanos(), transactions, acquires.getTotalCount(),
                acquires.getValueAtPercentile(50), acquires.getValueAtPercentile(99),
                acquires.getValueAtPercentile(99.9), acquires.getMaxValue(), errors, examples, maxBackends,
                starved, median == 0 ? 0 : (double) perClient[0] / median, stuck, Machine.loadAverage());
    }

    private CellResult failedToOpen(Exception e) {
        System.err.println("Could not open " + cell + ": " + e);
        String type = "open: " + Client.errorType(e);
        return new CellResult(cell, round, 0, 0, 0, 0, 0, 0, 0, Map.of(type, 1L), Map.of(type, String.valueOf(e.getMessage())),
                0, cell.clients(), 0, 0, Machine.loadAverage());
    }

    /**
     * Closes the pool on a thread of its own and waits at most {@code limit}: a pool that waits for
     * connections a stuck client still holds must not hold up the rest of the run.
     */
    static void closeWithin(DataSource pool, Duration limit) throws InterruptedException {
        Thread closer = new Thread(() -> LoadPool.close(pool), "load-pool-closer");
        closer.setDaemon(true);
        closer.start();
        closer.join(limit.toMillis());
        if (closer.isAlive()) {
            System.err.println("Pool " + pool + " did not close within " + limit.toSeconds() + " s; moving on");
        }
    }
}
