package dev.pool.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class StubDriverTest {

    private final StubDriver driver = new StubDriver();

    @Test
    void countsAttemptsSuccessesAndOpenConnections() throws SQLException {
        Connection first = driver.dataSource().getConnection();
        driver.dataSource().getConnection();
        first.close();

        assertThat(driver.connectAttempts()).isEqualTo(2);
        assertThat(driver.successfulConnects()).isEqualTo(2);
        assertThat(driver.openConnections()).isEqualTo(1);
        assertThat(driver.connections()).extracting(StubConnection::id).containsExactly(1, 2);
        assertThat(driver.connection(0).isClosed()).isTrue();
    }

    @Test
    void failsConnectsWithTheInjectedSqlState() throws SQLException {
        driver.failNextConnects(1, "08001");

        assertThatThrownBy(() -> driver.dataSource().getConnection())
                .isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
        assertThat(driver.dataSource().getConnection()).isNotNull();
        assertThat(driver.connectAttempts()).isEqualTo(2);
        assertThat(driver.successfulConnects()).isEqualTo(1);
    }

    @Test
    void holdsConnectsUntilReleased() throws Exception {
        driver.holdConnects();
        CompletableFuture<Connection> connect = CompletableFuture.supplyAsync(() -> {
            try {
                return driver.dataSource().getConnection();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });

        await().until(() -> driver.waitingConnects() == 1);
        assertThat(connect).isNotDone();
        assertThat(driver.openConnections()).isZero();

        driver.releaseConnects();
        assertThat(connect.get()).isSameAs(driver.connection(0));
        assertThat(driver.waitingConnects()).isZero();
    }

    @Test
    void showsEveryConnectAttemptToTheHook() throws SQLException {
        List<StubDriver.ConnectAttempt> seen = new CopyOnWriteArrayList<>();
        driver.onConnect(attempt -> {
            seen.add(attempt);
            if (attempt.number() == 2) {
                throw new SQLException("refused by hook", "08004");
            }
        });

        driver.dataSource().withCredentials("app", "secret").getConnection();
        assertThatThrownBy(() -> driver.dataSource().getConnection()).hasMessage("refused by hook");

        assertThat(seen).extracting(StubDriver.ConnectAttempt::number).containsExactly(1, 2);
        assertThat(seen.get(0).user()).isEqualTo("app");
        assertThat(seen.get(1).nanoTime()).isGreaterThanOrEqualTo(seen.get(0).nanoTime());
        assertThat(driver.successfulConnects()).isEqualTo(1);
    }

    @Test
    void queriesReturnOneRowHoldingOne() throws SQLException {
        StubConnection connection = driver.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement("select 1");

        try (ResultSet result = statement.executeQuery()) {
            assertThat(result.next()).isTrue();
            assertThat(result.getInt(1)).isEqualTo(1);
            assertThat(result.getObject(1)).isEqualTo(1);
            assertThat(result.next()).isFalse();
        }
        assertThat(connection.createStatement().executeUpdate("update t set x = 1")).isEqualTo(1);
        assertThat(statement.getConnection()).isSameAs(connection);
        assertThat(connection.executedSql()).containsExactly("select 1", "update t set x = 1");
        assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("Stub");
        assertThat(connection.getMetaData().getURL()).isEqualTo(driver.url());
    }

    @Test
    void failsTheNextExecutionOnOneConnectionOrAll() throws SQLException {
        StubConnection connection = driver.dataSource().getConnection();
        StubConnection other = driver.dataSource().getConnection();
        Statement statement = connection.createStatement();

        connection.failNextExecute("08006");
        assertThatThrownBy(() -> statement.execute("select 1"))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08006");
        assertThat(statement.execute("select 1")).isTrue();

        driver.failExecutes("57P01");
        assertThatThrownBy(() -> other.createStatement().executeQuery("select 1"))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("57P01");
        driver.clearExecuteFailures();
        assertThat(other.createStatement().executeQuery("select 1").next()).isTrue();
    }

    @Test
    void failsValidationOfOneConnectionOrAll() throws SQLException {
        StubConnection connection = driver.dataSource().getConnection();
        StubConnection other = driver.dataSource().getConnection();
        assertThat(connection.isValid(1)).isTrue();

        connection.setValid(false);
        assertThat(connection.isValid(1)).isFalse();
        assertThat(other.isValid(1)).isTrue();

        driver.setValid(false);
        assertThat(other.isValid(1)).isFalse();
        assertThat(other.validationCount()).isEqualTo(2);
    }

    @Test
    void killedConnectionFailsWorkButStillCloses() throws SQLException {
        StubConnection connection = driver.dataSource().getConnection();
        connection.setAutoCommit(false);

        driver.killAll("57P01");

        assertThat(connection.isValid(1)).isFalse();
        assertThatThrownBy(connection::rollback)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("57P01");
        connection.close();
        assertThat(driver.openConnections()).isZero();
    }

    @Test
    void recordsSessionStateFromItsDefaults() throws SQLException {
        StubConnection connection = driver.dataSource().getConnection();
        assertThat(connection.getAutoCommit()).isTrue();
        assertThat(connection.isReadOnly()).isFalse();
        assertThat(connection.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
        assertThat(connection.getCatalog()).isEqualTo("stub");
        assertThat(connection.getSchema()).isEqualTo("public");
        assertThat(connection.getNetworkTimeout()).isZero();

        connection.setAutoCommit(false);
        connection.createStatement().executeUpdate("insert into t values (1)");
        assertThat(connection.inTransaction()).isTrue();
        connection.rollback();
        connection.setReadOnly(true);
        connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        connection.setSchema("other");
        connection.setNetworkTimeout(Runnable::run, 500);
        connection.clearWarnings();

        assertThat(connection.rollbackCount()).isEqualTo(1);
        assertThat(connection.inTransaction()).isFalse();
        assertThat(connection.isReadOnly()).isTrue();
        assertThat(connection.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
        assertThat(connection.getSchema()).isEqualTo("other");
        assertThat(connection.getNetworkTimeout()).isEqualTo(500);
        assertThat(connection.clearWarningsCount()).isEqualTo(1);
    }

    @Test
    void closingTheConnectionClosesItsStatementsAndLaterCallsFailWith08003() throws SQLException {
        StubConnection connection = driver.dataSource().getConnection();
        Statement statement = connection.createStatement();
        connection.prepareStatement("select 1").close();

        assertThat(connection.statements()).extracting(StubStatement::isClosed).containsExactly(false, true);
        connection.close();
        connection.close();

        assertThat(statement.isClosed()).isTrue();
        assertThat(connection.closeCount()).isEqualTo(2);
        assertThatThrownBy(connection::getAutoCommit)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08003");
        assertThatThrownBy(() -> statement.executeQuery("select 1"))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08003");
    }

    @Test
    void claimRefusesASecondHolder() throws SQLException {
        StubConnection connection = driver.dataSource().getConnection();
        Object first = new Object();
        Object second = new Object();

        assertThat(connection.claim(first)).isTrue();
        assertThat(connection.claim(second)).isFalse();
        assertThat(connection.release(first)).isTrue();
        assertThat(connection.claim(second)).isTrue();
        assertThat(connection.owner()).isSameAs(second);
    }

    @Test
    void reachesEachRegisteredInstanceThroughDriverManagerByName() throws SQLException {
        StubDriver other = new StubDriver();
        driver.register();
        other.register();
        try {
            DriverManager.getConnection(driver.url()).close();
            DriverManager.getConnection(other.url() + "?user=x").close();
            DriverManager.getConnection(other.url()).close();

            assertThat(driver.successfulConnects()).isEqualTo(1);
            assertThat(other.successfulConnects()).isEqualTo(2);
        } finally {
            driver.deregister();
            other.deregister();
        }
        assertThatThrownBy(() -> DriverManager.getConnection(driver.url())).isInstanceOf(SQLException.class);
    }

    @Test
    void delaysConnectsByTheConfiguredTime() throws SQLException {
        driver.setConnectDelay(Duration.ofMillis(50));
        long start = System.nanoTime();

        driver.dataSource().getConnection();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    }
}
