package dev.pool.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The replication fixture itself: a real standby that streams, stays read-only, lags when paused and can be promoted. */
class PrimaryAndStandbyTest {

    private PrimaryAndStandby servers;

    @BeforeEach
    void start() {
        servers = PrimaryAndStandby.start();
    }

    @AfterEach
    void stop() {
        servers.close();
    }

    @Test
    void standbyIsInRecoveryAndSeesThePrimarysWrites() throws SQLException {
        assertThat(PrimaryAndStandby.isInRecovery(servers.primary())).isFalse();
        assertThat(PrimaryAndStandby.isInRecovery(servers.standby())).isTrue();

        PrimaryAndStandby.execute(servers.primary(), "create table replicated (id int primary key)");
        PrimaryAndStandby.execute(servers.primary(), "insert into replicated values (1), (2), (3)");
        servers.awaitReplayed();

        assertThat(count(servers.standby(), "replicated")).isEqualTo(3);
        assertThatThrownBy(() -> PrimaryAndStandby.execute(servers.standby(), "insert into replicated values (4)"))
                .hasRootCauseInstanceOf(SQLException.class)
                .rootCause().extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25006");
    }

    @Test
    void pausedReplayHoldsTheStandbysDataBack() throws SQLException {
        PrimaryAndStandby.execute(servers.primary(), "create table paused (id int)");
        servers.awaitReplayed();
        servers.pauseReplay();

        PrimaryAndStandby.execute(servers.primary(), "insert into paused values (1)");
        assertThat(count(servers.primary(), "paused")).isEqualTo(1);
        assertThat(count(servers.standby(), "paused")).isZero();

        servers.resumeReplay();
        servers.awaitReplayed();
        assertThat(count(servers.standby(), "paused")).isEqualTo(1);
    }

    @Test
    void promotionMakesTheStandbyWritableAlsoOnSessionsOpenedBefore() throws SQLException {
        PrimaryAndStandby.execute(servers.primary(), "create table promoted (id int)");
        servers.awaitReplayed();
        try (Connection before = servers.standby().unpooledDataSource().getConnection()) {
            servers.promoteStandby();

            assertThat(PrimaryAndStandby.isInRecovery(servers.standby())).isFalse();
            try (Statement statement = before.createStatement()) {
                assertThat(statement.executeUpdate("insert into promoted values (1)")).isEqualTo(1);
            }
        }
        assertThat(count(servers.standby(), "promoted")).isEqualTo(1);
        assertThat(count(servers.primary(), "promoted")).as("the old primary no longer sees the promoted one's writes").isZero();
    }

    @Test
    void standbyResumesStreamingAfterEitherServerRestarts() throws SQLException {
        PrimaryAndStandby.execute(servers.primary(), "create table restarted (id int)");

        servers.primary().stop();
        servers.primary().start();
        servers.awaitStreaming();
        servers.standby().stop();
        servers.standby().start();
        servers.awaitStreaming();

        PrimaryAndStandby.execute(servers.primary(), "insert into restarted values (1)");
        servers.awaitReplayed();
        assertThat(count(servers.standby(), "restarted")).isEqualTo(1);
        assertThat(PrimaryAndStandby.isInRecovery(servers.standby())).isTrue();
    }

    @Test
    void proxyMovesNewConnectionsToTheOtherServer() throws SQLException {
        try (FaultProxy proxy = FaultProxy.inFrontOf(servers.primary())) {
            String url = proxy.jdbcUrl(servers.primary(), "proxy-move");
            try (Connection onPrimary = java.sql.DriverManager.getConnection(url, "postgres", "postgres")) {
                assertThat(inRecovery(onPrimary)).isFalse();

                proxy.pointAt(servers.standby());
                try (Connection onStandby = java.sql.DriverManager.getConnection(url, "postgres", "postgres")) {
                    assertThat(inRecovery(onStandby)).isTrue();
                }
                assertThat(inRecovery(onPrimary)).as("an open connection stays with its server").isFalse();
            }
        }
    }

    private static boolean inRecovery(Connection connection) throws SQLException {
        try (ResultSet result = connection.createStatement().executeQuery("select pg_is_in_recovery()")) {
            result.next();
            return result.getBoolean(1);
        }
    }

    private static long count(TestDatabase server, String table) throws SQLException {
        try (Connection connection = server.unpooledDataSource().getConnection();
                ResultSet result = connection.createStatement().executeQuery("select count(*) from " + table)) {
            result.next();
            return result.getLong(1);
        }
    }
}
