package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pool.test.EmbeddedPostgresExtension;
import dev.pool.test.OtherThread;
import dev.pool.test.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pool against a real PostgreSQL: what it does is seen on the server. */
@ExtendWith(EmbeddedPostgresExtension.class)
class PostgresPoolTest {

    private final TestDatabase db;
    private final List<PoolDataSource> pools = new ArrayList<>();
    private String applicationName;

    PostgresPoolTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void name(TestInfo test) {
        String method = test.getTestMethod().orElseThrow().getName();
        applicationName = "pool-it-" + method.substring(0, Math.min(method.length(), 50)); // the server keeps 63 bytes
    }

    @AfterEach
    void closePools() {
        pools.forEach(PoolDataSource::close);
    }

    private PoolDataSource pool(Consumer<PoolConfig> settings) {
        PoolConfig config = new PoolConfig();
        config.setName("pg");
        config.setUrl(db.jdbcUrl());
        config.setUsername(db.username());
        config.setPassword(db.password());
        config.getDataSourceProperties().put("ApplicationName", applicationName);
        settings.accept(config);
        PoolDataSource pool = new PoolDataSource(config);
        pools.add(pool);
        return pool;
    }

    private static int backendPid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void borrowsAndReturnsARealConnection() throws SQLException {
        PoolDataSource pool = pool(c -> { });
        int pid;
        try (Connection c = pool.getConnection()) {
            pid = backendPid(c);
        }
        try (Connection c = pool.getConnection()) {
            assertThat(backendPid(c)).isEqualTo(pid);
        }
        assertThat(db.backendCount(applicationName)).isEqualTo(1);
    }

    @Test
    void theServerNeverSeesMoreThanMaxSizeConnections() throws SQLException {
        PoolDataSource pool = pool(c -> {
            c.setMaxSize(3);
            c.setConnectionWaitTimeout(Duration.ofMillis(200));
        });
        List<Connection> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(pool.getConnection());
        }
        assertThatThrownBy(() -> OtherThread.getConnection(pool)).isInstanceOf(SQLTransientConnectionException.class)
                .hasMessageContaining("200 ms");
        assertThat(db.backendCount(applicationName)).isEqualTo(3);
        for (Connection c : held) {
            c.close();
        }
        assertThat(db.backendCount(applicationName)).isEqualTo(3);
    }

    @Test
    void initialSizeConnectionsAreOpenOnTheServerBeforeTheFirstBorrow() {
        pool(c -> c.setInitialSize(4));
        assertThat(db.backendCount(applicationName)).isEqualTo(4);
    }

    @Test
    void uncommittedWorkIsRolledBackAndAutoCommitRestoredOnReturn() throws SQLException {
        PoolDataSource pool = pool(c -> c.setMaxSize(1));
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table if not exists reset_check (id int)");
            s.execute("truncate reset_check");
        }
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            c.setReadOnly(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("insert into reset_check values (1)");
            }
        } // returned without commit
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*), current_setting('transaction_isolation') from reset_check")) {
            assertThat(c.getAutoCommit()).isTrue();
            rs.next();
            assertThat(rs.getInt(1)).isZero();
            assertThat(rs.getString(2)).isEqualTo("read committed");
        }
    }

    @Test
    void connectionInitSqlRunsOnEveryNewConnection() throws SQLException {
        PoolDataSource pool = pool(c -> {
            c.setConnectionInitSql("set statement_timeout = 1234");
            c.setMaxSize(2);
        });
        try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) {
            for (Connection c : List.of(a, b)) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("show statement_timeout")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("1234ms");
                }
            }
        }
    }

    @Test
    void configuredSessionDefaultsApplyToEveryLentConnection() throws SQLException {
        PoolDataSource pool = pool(c -> {
            c.setTransactionIsolation(IsolationLevel.REPEATABLE_READ);
            c.setReadOnly(true);
        });
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select current_setting('transaction_isolation')")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("repeatable read");
            assertThat(c.isReadOnly()).isTrue(); // pgjdbc applies it to transactions (readOnlyMode=transaction)
            assertThatThrownBy(() -> {
                c.setAutoCommit(false);
                s.executeUpdate("create table read_only_check (id int)");
            }).isInstanceOf(SQLException.class).hasMessageContaining("read-only");
        }
    }

    @Test
    void closedPoolClosesItsServerConnections() throws SQLException {
        PoolDataSource pool = pool(c -> c.setInitialSize(2));
        assertThat(db.backendCount(applicationName)).isEqualTo(2);
        pool.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> db.backendCount(applicationName) == 0);
    }

    @Test
    void wrongPasswordFailsStartUpWithTheServersError() {
        assertThatThrownBy(() -> pool(c -> {
            c.setInitialSize(1);
            c.setUsername("no_such_user");
        })).isInstanceOf(PoolInitializationException.class)
                .hasMessageContaining("no_such_user");
    }
}
