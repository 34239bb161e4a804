package dev.pool.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The pool's own cost: borrow a connection and give it back, nothing in between. On the stub driver
 * the {@code nopool} floor is one small allocation, so the rest is the pool's bookkeeping.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ConnectionCycle {

    @Benchmark
    @Threads(1)
    public void uncontended1Thread(PoolState.Uncontended state, Blackhole blackhole) throws SQLException {
        cycle(state.dataSource, blackhole);
    }

    @Benchmark
    @Threads(8)
    public void uncontended8Threads(PoolState.Uncontended state, Blackhole blackhole) throws SQLException {
        cycle(state.dataSource, blackhole);
    }

    @Benchmark
    @Threads(32)
    public void contended32Threads(PoolState.Contended state, Blackhole blackhole) throws SQLException {
        cycle(state.dataSource, blackhole);
    }

    /** The same contended cycle, timed one by one: its percentiles are what a borrower waits. */
    @Benchmark
    @Threads(32)
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void contended32ThreadsLatency(PoolState.Contended state, Blackhole blackhole) throws SQLException {
        cycle(state.dataSource, blackhole);
    }

    private static void cycle(DataSource dataSource, Blackhole blackhole) throws SQLException {
        Connection connection = dataSource.getConnection();
        // keeps the no-pool floor honest: unconsumed, the stub connection would not be allocated at all
        blackhole.consume(connection);
        connection.close();
    }
}
