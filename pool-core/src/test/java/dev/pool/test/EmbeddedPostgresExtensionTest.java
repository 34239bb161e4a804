package dev.pool.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

@Isolated // restartsOnTheSamePortWithItsData stops the server under every other database test
@ExtendWith(EmbeddedPostgresExtension.class)
class EmbeddedPostgresExtensionTest {

    @Test
    void runsARealQuery(TestDatabase database) throws SQLException {
        try (Connection connection = database.unpooledDataSource().getConnection();
                ResultSet result = connection.createStatement().executeQuery("select 1")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    @SuppressWarnings("try") // the connections are held open, not used
    void countsBackendsByApplicationName(TestDatabase database) throws SQLException {
        String name = "extension-test-backends";
        assertThat(database.backendCount(name)).isZero();

        try (Connection first = database.unpooledDataSource(name).getConnection();
                Connection second = database.unpooledDataSource(name).getConnection()) {
            assertThat(database.backendCount(name)).isEqualTo(2);
        }
        await().until(() -> database.backendCount(name) == 0);
    }

    @Test
    void restartsOnTheSamePortWithItsData(TestDatabase database) throws SQLException {
        assumeThat(database.canRestart()).as("only the embedded server can be restarted").isTrue();
        try (Connection connection = database.unpooledDataSource().getConnection()) {
            connection.createStatement().execute("create table restart_check (id int)");
            connection.createStatement().execute("insert into restart_check values (42)");
        }
        Connection survivor = database.unpooledDataSource().getConnection();

        database.stop();
        try {
            assertThat(database.isRunning()).isFalse();
            assertThatThrownBy(() -> database.unpooledDataSource().getConnection())
                    .isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
        } finally {
            database.start();
        }

        assertThatThrownBy(() -> survivor.createStatement().execute("select 1"))
                .isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isIn("57P01", "08006");
        survivor.close();
        try (Connection connection = database.unpooledDataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("select id from restart_check")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getInt(1)).isEqualTo(42);
            statement.execute("drop table restart_check");
        }
    }
}
