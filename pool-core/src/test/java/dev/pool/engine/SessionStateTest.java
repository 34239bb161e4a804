package dev.pool.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pool.engine.SessionState.SessionDefaults;
import dev.pool.test.StubConnection;
import dev.pool.test.StubDriver;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SessionState}: what a borrower changed is restored on return, to the pool's configured
 * value or else to the driver's value before the first change, and nothing it did not change is
 * touched. Calls reach a stub connection through a proxy that records them.
 */
class SessionStateTest {

    private static final SessionDefaults DRIVER_DEFAULTS = new SessionDefaults(null, null, null, null, null);

    private StubConnection stub;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private Connection raw;

    @BeforeEach
    void connect() throws SQLException {
        StubDriver driver = new StubDriver();
        stub = (StubConnection) driver.connect(driver.url(), new Properties());
        raw = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
            calls.add(method.getName());
            try {
                return method.invoke(stub, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    private SessionState session(SessionDefaults defaults) throws SQLException {
        SessionState session = new SessionState(raw, defaults);
        calls.clear();
        return session;
    }

    @Test
    void resetTouchesNothingTheBorrowerLeftAlone() throws SQLException {
        SessionState session = session(DRIVER_DEFAULTS);
        session.reset();
        assertThat(calls).isEmpty();
    }

    @Test
    void openTransactionIsRolledBackAndAutoCommitRestored() throws SQLException {
        SessionState session = session(DRIVER_DEFAULTS);
        session.setAutoCommit(false);
        raw.createStatement().executeUpdate("insert into t values (1)");
        calls.clear();

        session.reset();

        assertThat(calls).containsExactly("rollback", "setAutoCommit");
        assertThat(stub.rollbackCount()).isEqualTo(1);
        assertThat(stub.getAutoCommit()).isTrue();
        assertThat(stub.inTransaction()).isFalse();
    }

    @Test
    void unconfiguredSettingsReturnToTheDriversValueBeforeTheFirstChange() throws SQLException {
        SessionState session = session(DRIVER_DEFAULTS);
        session.setReadOnly(true);
        session.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        session.setCatalog("other");
        session.setSchema("audit");
        session.setSchema("audit2"); // a second change keeps the first value captured
        session.setNetworkTimeout(Runnable::run, 1234);

        session.reset();

        assertThat(stub.isReadOnly()).isFalse();
        assertThat(stub.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
        assertThat(stub.getCatalog()).isEqualTo("stub");
        assertThat(stub.getSchema()).isEqualTo("public");
        assertThat(stub.getNetworkTimeout()).isZero();
    }

    @Test
    void configuredSettingsReturnToThePoolsValueNotTheDrivers() throws SQLException {
        SessionDefaults configured = new SessionDefaults(false, true, Connection.TRANSACTION_REPEATABLE_READ, "configured", "app");
        configured.applyTo(raw);
        SessionState session = session(configured);
        session.setReadOnly(false);
        session.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        session.setCatalog("other");
        session.setSchema("audit");
        calls.clear();

        session.reset();

        assertThat(calls).as("read back nothing from the driver: the configured values are known")
                .containsExactly("rollback", "setReadOnly", "setTransactionIsolation", "setCatalog", "setSchema");
        assertThat(stub.isReadOnly()).isTrue();
        assertThat(stub.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_REPEATABLE_READ);
        assertThat(stub.getCatalog()).isEqualTo("configured");
        assertThat(stub.getSchema()).isEqualTo("app");
        assertThat(stub.getAutoCommit()).as("the configured auto-commit, untouched").isFalse();
    }

    @Test
    void aResetForgetsTheChangesItUndid() throws SQLException {
        SessionState session = session(DRIVER_DEFAULTS);
        session.setSchema("audit");
        session.reset();
        calls.clear();

        session.reset();

        assertThat(calls).isEmpty();
    }

    @Test
    void aDriverThatRefusesTheResetFailsIt() throws SQLException {
        SessionState session = session(DRIVER_DEFAULTS);
        session.setAutoCommit(false);
        stub.kill("08006");

        assertThatThrownBy(session::reset).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08006"));
    }
}
