package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.test.StubConnection;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SessionResetTest {

    @RegisterExtension
    final StubPools pools = new StubPools();

    @Test
    void everySettingTheBorrowerChangedIsRestoredAndTheTransactionRolledBack() throws SQLException {
        PoolDataSource pool = pools.create();
        StubConnection physical;
        try (Connection c = pool.getConnection()) {
            physical = c.unwrap(StubConnection.class);
            c.setAutoCommit(false);
            c.createStatement().executeUpdate("insert into t values (1)");
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            c.setCatalog("other");
            c.setSchema("audit");
            c.setNetworkTimeout(Runnable::run, 1234);
        }
        assertThat(physical.rollbackCount()).isEqualTo(1);
        assertThat(physical.inTransaction()).isFalse();
        assertThat(physical.getAutoCommit()).isTrue();
        assertThat(physical.isReadOnly()).isFalse();
        assertThat(physical.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
        assertThat(physical.getCatalog()).isEqualTo("stub");
        assertThat(physical.getSchema()).isEqualTo("public");
        assertThat(physical.getNetworkTimeout()).isZero();
        assertThat(physical.clearWarningsCount()).isEqualTo(1);
    }

    @Test
    void countsEachResetAReturnNeeded() throws SQLException {
        PoolDataSource pool = pools.create();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false); // the stub driver cannot say whether a transaction is open: the rollback counts
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            c.setCatalog("other");
            c.createStatement();
        }

        assertThat(pool.stats().resets()).containsOnlyKeys(Reset.values())
                .containsEntry(Reset.ROLLBACK, 1L).containsEntry(Reset.AUTO_COMMIT, 1L).containsEntry(Reset.ISOLATION, 1L)
                .containsEntry(Reset.CATALOG, 1L).containsEntry(Reset.STATEMENTS, 1L)
                .containsEntry(Reset.READ_ONLY, 0L).containsEntry(Reset.SCHEMA, 0L);
    }

    @Test
    void configuredDefaultsAreAppliedToNewConnectionsAndRestored() throws SQLException {
        PoolDataSource pool = pools.create(c -> {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            c.setTransactionIsolation(IsolationLevel.REPEATABLE_READ);
            c.setSchema("app");
        });
        StubConnection physical;
        try (Connection c = pool.getConnection()) {
            physical = c.unwrap(StubConnection.class);
            assertThat(c.getAutoCommit()).isFalse();
            assertThat(c.isReadOnly()).isTrue();
            assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_REPEATABLE_READ);
            assertThat(c.getSchema()).isEqualTo("app");
            c.setAutoCommit(true);
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            c.setSchema("public");
        }
        assertThat(physical.getAutoCommit()).isFalse();
        assertThat(physical.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_REPEATABLE_READ);
        assertThat(physical.getSchema()).isEqualTo("app");
    }

    @Test
    void aBorrowThatDidNothingCostsTheDriverNothingOnReturn() throws SQLException {
        PoolDataSource pool = pools.create();
        StubConnection physical = null;
        for (int i = 0; i < 3; i++) {
            try (Connection c = pool.getConnection()) {
                if (physical == null) {
                    physical = pools.driver.connection(0);
                }
            }
        }
        assertThat(physical.rollbackCount()).isZero();
        assertThat(physical.clearWarningsCount()).isZero();
    }

    @Test
    void autoCommitBorrowerIsNotRolledBack() throws SQLException {
        PoolDataSource pool = pools.create();
        StubConnection physical;
        try (Connection c = pool.getConnection()) {
            physical = c.unwrap(StubConnection.class);
            c.createStatement().execute("select 1");
        }
        assertThat(physical.rollbackCount()).isZero();
    }

    @Test
    void aConnectionThatCannotBeResetIsClosedInsteadOfLent() throws SQLException {
        PoolDataSource pool = pools.create();
        StubConnection physical;
        try (Connection c = pool.getConnection()) {
            physical = c.unwrap(StubConnection.class);
            c.setAutoCommit(false);
            physical.kill("57P01"); // the rollback on return fails
        }
        assertThat(pool.stats().total()).isZero();
        assertThat(pool.stats().evictions()).containsEntry(EvictionReason.BROKEN, 1L);
    }
}
