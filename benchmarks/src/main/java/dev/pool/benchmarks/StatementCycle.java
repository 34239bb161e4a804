package dev.pool.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * What a request pays: borrow, prepare {@code select 1}, execute, read the row, close result set,
 * statement and connection. Adds the pool's statement and result set wrappers and its tracking of
 * open statements to {@link ConnectionCycle}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class StatementCycle {

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

    /** The same contended cycle, timed one by one. */
    @Benchmark
    @Threads(32)
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void contended32ThreadsLatency(PoolState.Contended state, Blackhole blackhole) throws SQLException {
        cycle(state.dataSource, blackhole);
    }

    private static void cycle(DataSource dataSource, Blackhole blackhole) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("select 1");
                ResultSet resultSet = statement.executeQuery()) {
            // the result set holds the statement, which holds the connection: consumed, none of the
            // three can be optimized away, so the no-pool floor allocates like a real driver
            blackhole.consume(resultSet);
            blackhole.consume(resultSet.next());
        }
    }
}
