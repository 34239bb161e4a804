package dev.pool.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The cost of {@code track-holders} on {@link ConnectionCycle}'s borrow-and-return, measured so that
 * a shared, loaded machine cannot hide or fake it: the pools under test run in one JVM, in short
 * blocks taken in turn (A B C, then a fresh random order), so each block of one pool has blocks of
 * the others within milliseconds of it, under the same load. Each round's ratio compares blocks
 * taken together; the median ratio over many rounds, with a bootstrap interval, is the answer.
 * JMH's forks run minutes apart, and on 2 cores shared with other builds their scores vary by more
 * than the few nanoseconds measured here.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.pool.benchmarks.HoldersOverhead [threads...]   # default: 1 8
 * </pre>
 */
public final class HoldersOverhead {

    /** The first is compared with each of the others; {@code -Dpools=pool,pool} measures the harness's own noise (A/A). */
    private static final List<PoolUnderTest> POOLS = Arrays.stream(System.getProperty("pools", "pool,pool_untracked,hikari").split(","))
            .map(PoolUnderTest::named).toList();
    private static final int ROUNDS = Integer.getInteger("rounds", 1000);
    private static final long BLOCK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long WARM_UP_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static volatile int sink;

    private HoldersOverhead() {
    }

    public static void main(String[] args) throws Exception {
        int[] threadCounts = args.length == 0 ? new int[] {1, 8} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.printf(Locale.ROOT, "java %s, %d cpus, load average %.2f%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
        for (int threads : threadCounts) {
            measure(threads);
        }
    }

    private static void measure(int threads) throws Exception {
        DataSource[] sources = new DataSource[POOLS.size()];
        for (int i = 0; i < sources.length; i++) {
            sources[i] = POOLS.get(i).open(16);
        }
        try {
            Blocks blocks = new Blocks(threads);
            long opsPerBlock = calibrate(blocks, sources[0]);
            for (long end = System.nanoTime() + WARM_UP_NANOS; System.nanoTime() < end; ) {
                for (DataSource source : sources) {
                    blocks.run(source, opsPerBlock);
                }
            }
            double[][] opsPerMs = new double[POOLS.size()][ROUNDS];
            Random random = new Random(42);
            List<Integer> order = new ArrayList<>();
            for (int p = 0; p < POOLS.size(); p++) {
                order.add(p);
            }
            for (int round = 0; round < ROUNDS; round++) {
                java.util.Collections.shuffle(order, random);
                for (int p : order) {
                    long nanos = blocks.run(sources[p], opsPerBlock);
                    opsPerMs[p][round] = threads * opsPerBlock / (nanos / 1e6);
                }
            }
            blocks.stop();
            report(threads, opsPerMs);
        } finally {
            for (DataSource source : sources) {
                PoolUnderTest.close(source);
            }
        }
    }

    /** Operations per thread that take about one block on the tracked pool. */
    private static long calibrate(Blocks blocks, DataSource source) throws Exception {
        long ops = 1000;
        for (int i = 0; i < 20; i++) {
            long nanos = blocks.run(source, ops);
            ops = Math.max(1000, ops * BLOCK_NANOS / Math.max(1, nanos));
        }
        return ops;
    }

    private static void report(int threads, double[][] opsPerMs) {
        System.out.printf(Locale.ROOT, "%n%d thread(s), %d rounds of ~20 ms blocks%n", threads, ROUNDS);
        for (int p = 0; p < POOLS.size(); p++) {
            System.out.printf(Locale.ROOT, "  %-15s median %,10.0f ops/ms%n", name(p), median(opsPerMs[p]));
        }
        for (int a = 0; a < POOLS.size(); a++) {
            for (int b = a + 1; b < POOLS.size(); b++) {
                ratio(name(a) + " / " + name(b), opsPerMs[a], opsPerMs[b]);
            }
        }
    }

    private static String name(int p) {
        return POOLS.get(p).name().toLowerCase(Locale.ROOT);
    }

    /** The median of the rounds' ratios, with a 95% bootstrap interval. */
    private static void ratio(String name, double[] a, double[] b) {
        double[] ratios = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            ratios[i] = a[i] / b[i];
        }
        Random random = new Random(7);
        double[] medians = new double[2000];
        double[] resample = new double[ratios.length];
        for (int r = 0; r < medians.length; r++) {
            for (int i = 0; i < resample.length; i++) {
                resample[i] = ratios[random.nextInt(ratios.length)];
            }
            medians[r] = median(resample);
        }
        Arrays.sort(medians);
        System.out.printf(Locale.ROOT, "  %-32s %.3f (95%% CI %.3f-%.3f)%n", name, median(ratios),
                medians[(int) (0.025 * medians.length)], medians[(int) (0.975 * medians.length)]);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** {@code threads} threads that run a block of borrow-and-return cycles together, started and ended by a barrier. */
    private static final class Blocks {

        private final CyclicBarrier start;
        private final CyclicBarrier end;
        private final List<Thread> workers = new ArrayList<>();
        private volatile DataSource source;
        private volatile long ops;
        private volatile boolean stopped;

        Blocks(int threads) {
            start = new CyclicBarrier(threads + 1);
            end = new CyclicBarrier(threads + 1);
            for (int i = 0; i < threads; i++) {
                Thread worker = new Thread(this::work, "cycle-" + i);
                worker.setDaemon(true);
                worker.start();
                workers.add(worker);
            }
        }

        /** Runs one block; returns its wall time, from the start barrier to the last thread's end. */
        long run(DataSource source, long ops) throws InterruptedException, BrokenBarrierException {
            this.source = source;
            this.ops = ops;
            start.await();
            long began = System.nanoTime();
            end.await();
            return System.nanoTime() - began;
        }

        void stop() throws InterruptedException, BrokenBarrierException {
            stopped = true;
            start.await();
        }

        private void work() {
            try {
                for (;;) {
                    start.await();
                    if (stopped) {
                        return;
                    }
                    DataSource ds = source;
                    int local = 0;
                    for (long i = ops; i > 0; i--) {
                        Connection connection = ds.getConnection();
                        local += connection == null ? 1 : 0; // the borrow has effects the JIT keeps; this keeps it honest
                        connection.close();
                    }
                    sink += local;
                    end.await();
                }
            } catch (InterruptedException | BrokenBarrierException | SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
