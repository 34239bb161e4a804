package dev.pool.benchmarks.stub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLFeatureNotSupportedException;
import org.junit.jupiter.api.Test;

class StubDataSourceTest {

    private final StubDataSource dataSource = new StubDataSource();

    @Test
    void queryAnswersOneRowOfNull() throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("select 1");
                ResultSet resultSet = statement.executeQuery()) {
            assertThat(resultSet.isBeforeFirst()).isTrue();
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getObject(1)).isNull();
            assertThat(resultSet.wasNull()).isTrue();
            assertThat(resultSet.next()).isFalse();
            assertThat(resultSet.next()).isFalse();
            assertThat(resultSet.isAfterLast()).isTrue();
            assertThat(resultSet.getStatement()).isSameAs(statement);
            assertThat(statement.getConnection()).isSameAs(connection);
        }
    }

    @Test
    void connectionRemembersTheSessionSettingsAPoolResets() throws Exception {
        Connection connection = dataSource.getConnection();
        assertThat(connection.getAutoCommit()).isTrue();
        assertThat(connection.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);

        connection.setAutoCommit(false);
        connection.setReadOnly(true);
        connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        connection.setSchema("app");

        assertThat(connection.getAutoCommit()).isFalse();
        assertThat(connection.isReadOnly()).isTrue();
        assertThat(connection.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
        assertThat(connection.getSchema()).isEqualTo("app");
    }

    @Test
    void closedConnectionIsNoLongerValid() throws Exception {
        Connection connection = dataSource.getConnection();
        assertThat(connection.isValid(1)).isTrue();

        connection.close();

        assertThat(connection.isClosed()).isTrue();
        assertThat(connection.isValid(1)).isFalse();
    }

    @Test
    void whatNoBenchmarkUsesIsRefusedNotFaked() throws Exception {
        Connection connection = dataSource.getConnection();

        assertThatThrownBy(() -> connection.prepareCall("{call p()}")).isInstanceOf(SQLFeatureNotSupportedException.class);
        assertThatThrownBy(connection::getMetaData).isInstanceOf(SQLFeatureNotSupportedException.class);
    }

    @Test
    void unwrapsToItself() throws Exception {
        Connection connection = dataSource.getConnection();

        assertThat(dataSource.unwrap(StubDataSource.class)).isSameAs(dataSource);
        assertThat(connection.isWrapperFor(StubConnection.class)).isTrue();
        assertThat(connection.unwrap(StubConnection.class)).isSameAs(connection);
    }
}
