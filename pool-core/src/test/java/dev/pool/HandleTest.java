package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pool.test.StubConnection;
import dev.pool.test.StubStatement;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.ThrowingConsumer;

class HandleTest {

    @RegisterExtension
    final StubPools pools = new StubPools();

    @Test
    void lentConnectionWrapsTheDriversAndUnwrapsToIt() throws SQLException {
        PoolDataSource pool = pools.create();
        try (Connection c = pool.getConnection()) {
            assertThat(c).isNotInstanceOf(StubConnection.class);
            assertThat(c.isWrapperFor(StubConnection.class)).isTrue();
            assertThat(c.unwrap(StubConnection.class)).isSameAs(pools.driver.connection(0));
            assertThat(c.unwrap(Connection.class)).isSameAs(c);
        }
        assertThat(pool.isWrapperFor(PoolDataSource.class)).isTrue();
        assertThat(pool.unwrap(PoolDataSource.class)).isSameAs(pool);
    }

    @Test
    void everyObjectObtainedThroughTheHandleLeadsBackToTheHandle() throws SQLException {
        PoolDataSource pool = pools.create();
        try (Connection c = pool.getConnection()) {
            Statement s = c.createStatement();
            PreparedStatement ps = c.prepareStatement("select 1");
            CallableStatement cs = c.prepareCall("{call f()}");
            DatabaseMetaData md = c.getMetaData();
            ResultSet rs = ps.executeQuery();

            assertThat(List.of(s, ps, cs)).allSatisfy(st -> assertThat(st.getConnection()).isSameAs(c));
            assertThat(md.getConnection()).isSameAs(c);
            assertThat(rs.getStatement()).isSameAs(ps);
            assertThat(s.executeQuery("select 1").getStatement()).isSameAs(s);
            assertThat(s).isNotInstanceOf(StubStatement.class);
            assertThat(s.unwrap(StubStatement.class)).isInstanceOf(StubStatement.class);
        }
    }

    @Test
    void everyCallOnAClosedHandleThrows08003() throws SQLException {
        PoolDataSource pool = pools.create();
        Connection c = pool.getConnection();
        Statement s = c.createStatement();
        PreparedStatement ps = c.prepareStatement("select 1");
        ResultSet rs = ps.executeQuery();
        DatabaseMetaData md = c.getMetaData();
        c.close();

        List<ThrowingConsumer<Object>> calls = List.of(
                x -> c.createStatement(),
                x -> c.prepareStatement("select 1"),
                x -> c.commit(),
                x -> c.rollback(),
                x -> c.setAutoCommit(false),
                x -> c.getAutoCommit(),
                x -> c.getMetaData(),
                x -> c.unwrap(StubConnection.class),
                x -> s.execute("select 1"),
                x -> s.getConnection(),
                x -> ps.executeQuery(),
                x -> ps.setInt(1, 1),
                x -> rs.next(),
                x -> rs.getStatement(),
                x -> md.getURL(),
                x -> md.getConnection());
        for (ThrowingConsumer<Object> call : calls) {
            assertThatThrownBy(() -> call.accept(null))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08003"));
        }
        assertThat(c.isClosed()).isTrue();
        assertThat(s.isClosed()).isTrue();
        assertThat(rs.isClosed()).isTrue();
        assertThat(c.isValid(1)).isFalse();
    }

    @Test
    void secondCloseIsANoOpAndDoesNotTouchTheNextBorrower() throws SQLException {
        PoolDataSource pool = pools.create(c -> c.setMaxSize(1));
        Connection first = pool.getConnection();
        first.close();
        try (Connection second = pool.getConnection()) {
            first.close();
            assertThat(second.isClosed()).isFalse();
            assertThat(pool.stats().active()).isEqualTo(1);
            assertThatThrownBy(first::createStatement).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void closeFromTwoThreadsAtOnceReturnsTheConnectionOnce() throws Exception {
        PoolDataSource pool = pools.create(c -> c.setMaxSize(2));
        var executor = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 500; i++) {
                Connection c = pool.getConnection();
                var barrier = new java.util.concurrent.CyclicBarrier(2);
                var a = executor.submit(() -> {
                    barrier.await();
                    c.close();
                    return null;
                });
                var b = executor.submit(() -> {
                    barrier.await();
                    c.close();
                    return null;
                });
                a.get();
                b.get();
                PoolStats s = pool.stats();
                assertThat(s.active()).isZero();
                assertThat(s.idle()).isEqualTo(s.total());
            }
            try (Connection x = pool.getConnection(); Connection y = pool.getConnection()) {
                assertThat(x.unwrap(StubConnection.class)).isNotSameAs(y.unwrap(StubConnection.class));
            }
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void statementsTheBorrowerForgotAreClosedOnReturn() throws SQLException {
        PoolDataSource pool = pools.create();
        StubConnection physical;
        try (Connection c = pool.getConnection()) {
            physical = c.unwrap(StubConnection.class);
            c.createStatement();
            c.prepareStatement("select 1").executeQuery();
            Statement closedByBorrower = c.createStatement();
            closedByBorrower.close();
        }
        assertThat(physical.statements()).hasSize(3).allSatisfy(s -> assertThat(s.isClosed()).isTrue());
        assertThat(physical.isClosed()).isFalse();
    }

    @Test
    void connectionClassErrorMarksTheConnectionBrokenAndItIsNeverLentAgain() throws SQLException {
        PoolDataSource pool = pools.create();
        StubConnection broken;
        try (Connection c = pool.getConnection()) {
            broken = c.unwrap(StubConnection.class);
            broken.failNextExecute("08006");
            assertThatThrownBy(() -> c.createStatement().execute("select 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08006"));
        }
        assertThat(pool.stats().evictions()).containsEntry(EvictionReason.BROKEN, 1L);
        await().atMost(Duration.ofSeconds(5)).until(broken::isClosed);
        try (Connection c = pool.getConnection()) {
            assertThat(c.unwrap(StubConnection.class)).isNotSameAs(broken);
        }
    }

    @Test
    void otherErrorsLeaveTheConnectionInThePool() throws SQLException {
        PoolDataSource pool = pools.create();
        StubConnection physical;
        try (Connection c = pool.getConnection()) {
            physical = c.unwrap(StubConnection.class);
            physical.failNextExecute("42601"); // syntax error
            assertThatThrownBy(() -> c.createStatement().execute("selec 1")).isInstanceOf(SQLException.class);
        }
        try (Connection c = pool.getConnection()) {
            assertThat(c.unwrap(StubConnection.class)).isSameAs(physical);
        }
    }

    @Test
    void abortedConnectionIsClosedNotReused() throws SQLException {
        PoolDataSource pool = pools.create();
        Connection c = pool.getConnection();
        StubConnection physical = c.unwrap(StubConnection.class);
        c.abort(Runnable::run);
        assertThat(c.isClosed()).isTrue();
        assertThat(physical.isAborted()).isTrue();
        assertThat(pool.stats().total()).isZero();
    }

    @Test
    void getConnectionWithCredentialsIsNotSupported() {
        PoolDataSource pool = pools.create();
        assertThatThrownBy(() -> pool.getConnection("other", "secret")).isInstanceOf(SQLFeatureNotSupportedException.class);
    }
}
