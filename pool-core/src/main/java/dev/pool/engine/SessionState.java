package dev.pool.engine;

import dev.pool.jdbc.SessionSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executor;

/**
 * The session settings of one physical connection that a borrower may change through its handle,
 * and the values the pool restores on return. Only what the borrower changed is restored: each
 * setter marks a bit, and the first change of a setting the pool does not configure captures the
 * driver's value as the one to restore. The handles see it as {@link SessionSettings}; the pool
 * calls {@link #reset()} on return.
 */
final class SessionState implements SessionSettings {

    private static final int AUTO_COMMIT = 1;
    private static final int READ_ONLY = 2;
    private static final int ISOLATION = 4;
    private static final int CATALOG = 8;
    private static final int SCHEMA = 16;
    private static final int NETWORK_TIMEOUT = 32;
    private static final Executor DIRECT = Runnable::run;

    private final Connection raw;
    private int changed;
    private int captured;

    private boolean autoCommit;
    private boolean baseAutoCommit;
    private boolean baseReadOnly;
    private int baseIsolation;
    private String baseCatalog;
    private String baseSchema;
    private int baseNetworkTimeout;

    /**
     * @param defaults the pool's configured settings, already applied to {@code raw}; what they leave
     *                 unset is captured from the driver on the first change
     */
    SessionState(Connection raw, SessionDefaults defaults) throws SQLException {
        this.raw = raw;
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
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        if ((captured & ISOLATION) == 0) {
            baseIsolation = raw.getTransactionIsolation();
            captured |= ISOLATION;
        }
        changed |= ISOLATION;
        raw.setTransactionIsolation(level);
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        if ((captured & CATALOG) == 0) {
            baseCatalog = raw.getCatalog();
            captured |= CATALOG;
        }
        changed |= CATALOG;
        raw.setCatalog(catalog);
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        if ((captured & SCHEMA) == 0) {
            baseSchema = raw.getSchema();
            captured |= SCHEMA;
        }
        changed |= SCHEMA;
        raw.setSchema(schema);
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
     */
    void reset() throws SQLException {
        if (!autoCommit) {
            raw.rollback();
        }
        if (changed == 0) {
            return;
        }
        if ((changed & AUTO_COMMIT) != 0 && autoCommit != baseAutoCommit) {
            raw.setAutoCommit(baseAutoCommit);
            autoCommit = baseAutoCommit;
        }
        if ((changed & READ_ONLY) != 0) {
            raw.setReadOnly(baseReadOnly);
        }
        if ((changed & ISOLATION) != 0) {
            raw.setTransactionIsolation(baseIsolation);
        }
        if ((changed & CATALOG) != 0) {
            raw.setCatalog(baseCatalog);
        }
        if ((changed & SCHEMA) != 0) {
            raw.setSchema(baseSchema);
        }
        if ((changed & NETWORK_TIMEOUT) != 0) {
            raw.setNetworkTimeout(DIRECT, baseNetworkTimeout);
        }
        changed = 0;
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
