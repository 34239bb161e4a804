package dev.pool.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;

/** Proves in the normal build, in well under a second, that every benchmark can start. */
class PoolUnderTestTest {

    @ParameterizedTest
    @EnumSource(PoolUnderTest.class)
    void opensOverTheStubAndRunsOneStatementCycle(PoolUnderTest pool) throws Exception {
        DataSource dataSource = pool.open(4);
        try {
            try (Connection connection = dataSource.getConnection()) {
                assertThat(connection.isValid(1)).isTrue();
            }
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement statement = connection.prepareStatement("select 1");
                    ResultSet resultSet = statement.executeQuery()) {
                assertThat(resultSet.next()).isTrue();
                assertThat(resultSet.next()).isFalse();
            }
        } finally {
            PoolUnderTest.close(dataSource);
        }
    }

    @Test
    void benchmarkParameterNamesEveryPoolAndNothingElse() throws Exception {
        String[] names = PoolState.class.getField("pool").getAnnotation(Param.class).value();

        assertThat(Arrays.stream(names).map(PoolUnderTest::named)).containsExactly(PoolUnderTest.values());
    }

    @Test
    void annotationProcessorListedEveryBenchmarkWithItsThreads() throws IOException {
        List<BenchmarkListEntry> benchmarks;
        try (InputStream in = getClass().getResourceAsStream(BenchmarkList.BENCHMARK_LIST)) {
            assertThat(in).as("the list jmh-generator-annprocess writes").isNotNull();
            benchmarks = BenchmarkList.readBenchmarkList(in);
        }

        assertThat(benchmarks)
                .extracting(entry -> entry.getUsername().substring("dev.pool.benchmarks.".length()),
                        entry -> entry.getThreads().get(), BenchmarkListEntry::getMode)
                .containsExactlyInAnyOrder(
                        tuple("ConnectionCycle.uncontended1Thread", 1, Mode.Throughput),
                        tuple("ConnectionCycle.uncontended8Threads", 8, Mode.Throughput),
                        tuple("ConnectionCycle.contended32Threads", 32, Mode.Throughput),
                        tuple("ConnectionCycle.contended32ThreadsLatency", 32, Mode.SampleTime),
                        tuple("StatementCycle.uncontended1Thread", 1, Mode.Throughput),
                        tuple("StatementCycle.uncontended8Threads", 8, Mode.Throughput),
                        tuple("StatementCycle.contended32Threads", 32, Mode.Throughput),
                        tuple("StatementCycle.contended32ThreadsLatency", 32, Mode.SampleTime));
    }
}
