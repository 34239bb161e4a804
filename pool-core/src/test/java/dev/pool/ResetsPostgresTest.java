package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.test.EmbeddedPostgresExtension;
import dev.pool.test.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code PoolStats.resets()} against a real PostgreSQL: each kind counts the returns that needed it,
 * and only those; the next borrower of the one connection sees it reset.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class ResetsPostgresTest {

    private final TestDatabase db;
    private PoolDataSource pool;

    ResetsPostgresTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void onePooledConnection() throws SQLException {
        PoolConfig config = new PoolConfig();
        config.setName("resets");
        config.setUrl(db.jdbcUrl());
        config.setUsername(db.username());
        config.setPassword(db.password());
        config.setMaxSize(1);
        pool = new PoolDataSource(config);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("create schema if not exists resets_audit");
            s.execute("create table if not exists resets_items (id int)");
            s.execute("truncate resets_items");
        }
        assertThat(pool.stats().resets()).as("setting up needed no reset").isEqualTo(counts());
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void anOpenTransactionIsRolledBackAndCounted() throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.executeUpdate("insert into resets_items values (1)");
        }

        assertThat(pool.stats().resets()).isEqualTo(counts(Reset.ROLLBACK, Reset.AUTO_COMMIT));
        assertThat(queryString("select count(*) from resets_items")).isEqualTo("0");
    }

    @Test
    void aCommittedTransactionNeedsNoRollback() throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.executeUpdate("insert into resets_items values (1)");
            c.commit();
        }

        // the driver says no transaction is open: auto-commit is restored, nothing is rolled back
        assertThat(pool.stats().resets()).isEqualTo(counts(Reset.AUTO_COMMIT));
        assertThat(queryString("select count(*) from resets_items")).isEqualTo("1");
    }

    @Test
    void autoCommitLeftOffIsRestored() throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
        }

        assertThat(pool.stats().resets()).isEqualTo(counts(Reset.AUTO_COMMIT));
        try (Connection c = pool.getConnection()) {
            assertThat(c.getAutoCommit()).isTrue();
        }
    }

    @Test
    void readOnlyLeftOnIsRestored() throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setReadOnly(true);
        }

        assertThat(pool.stats().resets()).isEqualTo(counts(Reset.READ_ONLY));
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            assertThat(c.isReadOnly()).isFalse();
            s.executeUpdate("insert into resets_items values (1)"); // a read-only session would refuse it
        }
    }

    @Test
    void isolationLeftChangedIsRestored() throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        }

        assertThat(pool.stats().resets()).isEqualTo(counts(Reset.ISOLATION));
        assertThat(queryString("show transaction_isolation")).isEqualTo("read committed");
    }

    @Test
    void catalogLeftChangedIsRestored() throws SQLException {
        String database;
        try (Connection c = pool.getConnection()) {
            database = c.getCatalog();
            c.setCatalog("elsewhere"); // PostgreSQL's driver ignores it; the borrower's intent still counts
        }

        assertThat(pool.stats().resets()).isEqualTo(counts(Reset.CATALOG));
        try (Connection c = pool.getConnection()) {
            assertThat(c.getCatalog()).isEqualTo(database);
        }
    }

    @Test
    void schemaLeftChangedIsRestored() throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setSchema("resets_audit");
            assertThat(c.getSchema()).isEqualTo("resets_audit");
        }

        assertThat(pool.stats().resets()).isEqualTo(counts(Reset.SCHEMA));
        assertThat(queryString("select current_schema()")).isEqualTo("public");
    }

    @Test
    void forgottenStatementsAreClosedAndCountedOncePerReturn() throws SQLException {
        Statement first;
        ResultSet open;
        try (Connection c = pool.getConnection()) {
            first = c.createStatement();
            open = c.prepareStatement("select 1").executeQuery();
        }

        assertThat(pool.stats().resets()).isEqualTo(counts(Reset.STATEMENTS));
        assertThat(first.isClosed()).isTrue();
        assertThat(open.isClosed()).isTrue();
    }

    @Test
    void settingsSetAndSetBackNeedNoReset() throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setReadOnly(true);
            c.setReadOnly(false);
            c.setSchema("resets_audit");
            c.setSchema("public");
            c.setAutoCommit(false);
            c.setAutoCommit(true);
        }

        assertThat(pool.stats().resets()).isEqualTo(counts());
    }

    @Test
    void eachKindCountsOnceForAReturnThatNeededSeveral() throws SQLException {
        for (int i = 0; i < 2; i++) {
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                c.createStatement().executeQuery("select 1");
                c.createStatement().executeQuery("select 2");
            }
        }

        Map<Reset, Long> expected = counts();
        expected.put(Reset.ROLLBACK, 2L);
        expected.put(Reset.AUTO_COMMIT, 2L);
        expected.put(Reset.ISOLATION, 2L);
        expected.put(Reset.STATEMENTS, 2L);
        assertThat(pool.stats().resets()).isEqualTo(expected);
    }

    /** Every kind, 1 for each of {@code once} and 0 for the rest. */
    private static Map<Reset, Long> counts(Reset... once) {
        Map<Reset, Long> counts = new EnumMap<>(Reset.class);
        for (Reset reset : Reset.values()) {
            counts.put(reset, 0L);
        }
        for (Reset reset : once) {
            counts.put(reset, 1L);
        }
        return counts;
    }

    private String queryString(String sql) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
