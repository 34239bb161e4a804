package dev.pool.engine;

import dev.pool.Reset;
import dev.pool.jdbc.SessionSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The session settings of one physical connection that a borrower may change through its handle,
 * and the values the pool restores on return. Only what the borrower changed is restored: each
 * setter marks a bit, and the first change of a setting the pool does not configure captures the
 * driver's value as the one to restore. The handles see it as {@link SessionSettings}; the pool
 * calls {@link #reset()} on return.
 *
 * <p>{@link #reset()} also says which {@link Reset}s the return needed: a setting counts only when
 * the borrower left it at another value than the pool's (set and set back needs none, though it is
 * restored all the same), and a rollback only when a transaction was open, where the driver can
 * say so without a round trip ({@link PostgresDriver}). Only the setters and the reset, both off the
 * borrow-and-return fast path, do anything for it.
 */
final class SessionState implements SessionSettings {

    private static final int AUTO_COMMIT = 1;
    private static final int READ_ONLY = 2;
    private static final int ISOLATION = 4;
    private static final int CATALOG = 8;
    private static final int SCHEMA = 16;
    private static final int NETWORK_TIMEOUT = 32;
    private static final Executor DIRECT = Runnable::run;

    static final int ROLLED_BACK = mask(Reset.ROLLBACK);
    static final int RESTORED_AUTO_COMMIT = mask(Reset.AUTO_COMMIT);
    static final int RESTORED_READ_ONLY = mask(Reset.READ_ONLY);
    static final int RESTORED_ISOLATION = mask(Reset.ISOLATION);
    static final int RESTORED_CATALOG = mask(Reset.CATALOG);
    static final int RESTORED_SCHEMA = mask(Reset.SCHEMA);

    private final Connection raw;
    /** What the driver says without a round trip: is a transaction open, and the backend's pid. */
    final PostgresDriver driver;
    private int changed;
    private int captured;

    private boolean autoCommit;
    private boolean baseAutoCommit;
    private boolean baseReadOnly;
    private int baseIsolation;
    private String baseCatalog;
    private String baseSchema;
    private int baseNetworkTimeout;
    // the values the borrower set, compared with the base ones on return
    private boolean readOnly;
    private int isolation;
    private String catalog;
    private String schema;

    /**
     * @param defaults the pool's configured settings, already applied to {@code raw}; what they leave
     *                 unset is captured from the driver on the first change
     */
    SessionState(Connection raw, SessionDefaults defaults) throws SQLException {
        this.raw = raw;
        this.driver = PostgresDriver.of(raw);
        this.autoCommit = raw.getAutoCommit();
        this.baseAutoCommit = autoCommit;
        this.captured = AUTO_COMMIT;
        if (defaults.readOnly() != null) {
            baseReadOnly = defaults.readOnly();
            captured |= READ_ONLY;
        }
        if (defaults.isolation() != null) {
            baseIsolation = defaults.isolation();
            captured |= ISOLATION;
        }
        if (defaults.catalog() != null) {
            baseCatalog = defaults.catalog();
            captured |= CATALOG;
        }
        if (defaults.schema() != null) {
            baseSchema = defaults.schema();
            captured |= SCHEMA;
        }
    }

    @Override
    public void setAutoCommit(boolean value) throws SQLException {
        changed |= AUTO_COMMIT;
        raw.setAutoCommit(value);
        autoCommit = value;
    }

    @Override
    public void setReadOnly(boolean value) throws SQLException {
        if ((captured & READ_ONLY) == 0) {
            baseReadOnly = raw.isReadOnly();
            captured |= READ_ONLY;
        }
        changed |= READ_ONLY;
        raw.setReadOnly(value);
        readOnly = value;
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        if ((captured & ISOLATION) == 0) {
            baseIsolation = raw.getTransactionIsolation();
            captured |= ISOLATION;
        }
        changed |= ISOLATION;
        raw.setTransactionIsolation(level);
        isolation = level;
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        if ((captured & CATALOG) == 0) {
            baseCatalog = raw.getCatalog();
            captured |= CATALOG;
        }
        changed |= CATALOG;
        raw.setCatalog(catalog);
        this.catalog = catalog;
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        if ((captured & SCHEMA) == 0) {
            baseSchema = raw.getSchema();
            captured |= SCHEMA;
        }
        changed |= SCHEMA;
        raw.setSchema(schema);
        this.schema = schema;
    }

    @Override
    public void setNetworkTimeout(Executor executor, int millis) throws SQLException {
        if ((captured & NETWORK_TIMEOUT) == 0) {
            baseNetworkTimeout = raw.getNetworkTimeout();
            captured |= NETWORK_TIMEOUT;
        }
        changed |= NETWORK_TIMEOUT;
        raw.setNetworkTimeout(executor, millis);
    }

    /**
     * Makes the connection as the next borrower expects it: an open transaction rolled back, and
     * every setting the borrower changed restored. Throws if the driver refuses; the pool then closes
     * the connection rather than lend it in an unknown state.
     *
     * @return the {@link Reset}s it needed, one bit each ({@link #mask})
     */
    int reset() throws SQLException {
        int needed = 0;
        if (!autoCommit && !Boolean.FALSE.equals(driver.inTransaction())) {
            raw.rollback();
            needed |= ROLLED_BACK;
        }
        if (changed == 0) {
            return needed;
        }
        if ((changed & AUTO_COMMIT) != 0 && autoCommit != baseAutoCommit) {
            raw.setAutoCommit(baseAutoCommit);
            autoCommit = baseAutoCommit;
            needed |= RESTORED_AUTO_COMMIT;
        }
        if ((changed & READ_ONLY) != 0) {
            raw.setReadOnly(baseReadOnly);
            needed |= readOnly != baseReadOnly ? RESTORED_READ_ONLY : 0;
        }
        if ((changed & ISOLATION) != 0) {
            raw.setTransactionIsolation(baseIsolation);
            needed |= isolation != baseIsolation ? RESTORED_ISOLATION : 0;
        }
        if ((changed & CATALOG) != 0) {
            raw.setCatalog(baseCatalog);
            needed |= !Objects.equals(catalog, baseCatalog) ? RESTORED_CATALOG : 0;
        }
        if ((changed & SCHEMA) != 0) {
            raw.setSchema(baseSchema);
            needed |= !Objects.equals(schema, baseSchema) ? RESTORED_SCHEMA : 0;
        }
        if ((changed & NETWORK_TIMEOUT) != 0) {
            raw.setNetworkTimeout(DIRECT, baseNetworkTimeout);
        }
        changed = 0;
        return needed;
    }

    /** The bit of {@code reset} in the masks {@link #reset()} returns. */
    static int mask(Reset reset) {
        return 1 << reset.ordinal();
    }

    /** The settings the pool applies to every new connection; null leaves the driver's value. */
    record SessionDefaults(Boolean autoCommit, Boolean readOnly, Integer isolation, String catalog, String schema) {

        void applyTo(Connection raw) throws SQLException {
            if (autoCommit != null) {
                raw.setAutoCommit(autoCommit);
            }
            if (readOnly != null) {
                raw.setReadOnly(readOnly);
            }
            if (isolation != null) {
                raw.setTransactionIsolation(isolation);
            }
            if (catalog != null) {
                raw.setCatalog(catalog);
            }
            if (schema != null) {
                raw.setSchema(schema);
            }
        }
    }
}
