package dev.pool.test;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A physical connection of {@link StubDriver}. It talks to no database: statements return one row
 * holding {@code 1}, updates count {@code 1}. Setters record what they are given, so a test can
 * check what the pool restored; counters record commits, rollbacks, validations and more.
 *
 * <p>Defaults: auto-commit on, read-write, {@code READ_COMMITTED}, catalog {@code stub}, schema
 * {@code public}, network timeout {@code 0}. After {@link #close()} or {@link #abort}, every JDBC
 * call except {@code close}, {@code isClosed} and {@code isValid} throws SQLState {@code 08003}; the
 * test accessors ({@link #id()}, counters, {@link #claim}) always answer.
 *
 * <p>Faults: {@link #setValid(boolean)} fails {@link #isValid}; {@link #failNextExecute} and
 * {@link #failExecutes} fail statement executions; {@link #kill} breaks the connection as a
 * terminated backend would.
 */
public final class StubConnection implements Connection {

    /** SQLState of a call on a closed connection or statement. */
    public static final String CLOSED_STATE = "08003";

    private final StubDriver driver;
    private final int id;
    private final String url;
    private final String user;

    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean aborted;
    private volatile boolean inTransaction;

    private volatile boolean autoCommit = true;
    private volatile boolean readOnly;
    private volatile int transactionIsolation = TRANSACTION_READ_COMMITTED;
    private volatile String catalog = "stub";
    private volatile String schema = "public";
    private volatile int networkTimeout;
    private volatile int holdability = ResultSet.HOLD_CURSORS_OVER_COMMIT;
    private volatile Map<String, Class<?>> typeMap = Map.of();
    private final Properties clientInfo = new Properties();

    private final AtomicInteger commits = new AtomicInteger();
    private final AtomicInteger rollbacks = new AtomicInteger();
    private final AtomicInteger clearWarningsCalls = new AtomicInteger();
    private final AtomicInteger validations = new AtomicInteger();
    private final AtomicInteger closeCalls = new AtomicInteger();
    private final List<StubStatement> statements = new CopyOnWriteArrayList<>();
    private final List<String> executedSql = new CopyOnWriteArrayList<>();
    private volatile java.util.concurrent.CountDownLatch executeGate;
    private final java.util.concurrent.atomic.AtomicInteger executing = new java.util.concurrent.atomic.AtomicInteger();

    private volatile boolean valid = true;
    private final StubDriver.ExecuteFailures executeFailures = new StubDriver.ExecuteFailures();
    private final AtomicReference<String> killedState = new AtomicReference<>();

    /** Who holds this connection now; see {@link #claim}. */
    private final AtomicReference<Object> owner = new AtomicReference<>();
    private final AtomicInteger claims = new AtomicInteger();

    StubConnection(StubDriver driver, int id, String url, String user) {
        this.driver = driver;
        this.id = id;
        this.url = url;
        this.user = user;
    }

    // ---- test accessors: never throw

    /** 1 for the first connection a driver opened, then 2, 3, ... */
    public int id() {
        return id;
    }

    public StubDriver driver() {
        return driver;
    }

    public String url() {
        return url;
    }

    /** The {@code user} property the connection was opened with, or null. */
    public String user() {
        return user;
    }

    /** True once {@link #abort} was called, rather than {@link #close()}. */
    public boolean isAborted() {
        return aborted;
    }

    /** True after an execution with auto-commit off, until commit or rollback. */
    public boolean inTransaction() {
        return inTransaction;
    }

    public int commitCount() {
        return commits.get();
    }

    public int rollbackCount() {
        return rollbacks.get();
    }

    public int clearWarningsCount() {
        return clearWarningsCalls.get();
    }

    /** Calls of {@link #isValid}. */
    public int validationCount() {
        return validations.get();
    }

    /** Calls of {@link #close()}, including repeated ones. */
    public int closeCount() {
        return closeCalls.get();
    }

    /** Every statement created on this connection, in order; each knows whether it was closed. */
    public List<StubStatement> statements() {
        return List.copyOf(statements);
    }

    /** The SQL of every execution that reached this connection, failed ones included. */
    public List<String> executedSql() {
        return List.copyOf(executedSql);
    }

    /**
     * Marks {@code borrower} as holding this connection. Returns false, leaving the holder as it
     * is, if someone else holds it: a test lends the same connection to two borrowers at once.
     */
    public boolean claim(Object borrower) {
        if (owner.compareAndSet(null, borrower)) {
            claims.incrementAndGet();
            return true;
        }
        return owner.get() == borrower;
    }

    /** How often {@link #claim} took this connection from nobody: the lends a test saw. */
    public int claims() {
        return claims.get();
    }

    /** Undoes {@link #claim}; false if {@code borrower} was not the holder. */
    public boolean release(Object borrower) {
        return owner.compareAndSet(borrower, null);
    }

    /** The current holder from {@link #claim}, or null. */
    public Object owner() {
        return owner.get();
    }

    // ---- faults

    /** {@code false}: {@link #isValid} returns false until set back. */
    public void setValid(boolean valid) {
        this.valid = valid;
    }

    /** The next statement execution on this connection throws with this SQLState. */
    public void failNextExecute(String sqlState) {
        executeFailures.failNext(sqlState);
    }

    /** Every statement execution on this connection throws with this SQLState until cleared. */
    public void failExecutes(String sqlState) {
        executeFailures.failAll(sqlState);
    }

    public void clearExecuteFailures() {
        executeFailures.clear();
    }

    /**
     * Breaks the connection as a terminated backend would (e.g. {@code 57P01}, {@code 08006}): it
     * stays open, {@link #isValid} returns false, and executions, commit, rollback, and changes of
     * isolation or schema throw with this SQLState. Close still works.
     */
    public void kill(String sqlState) {
        killedState.set(sqlState);
    }

    // ---- for the stub statements

    /**
     * Makes executions on this connection block until {@code gate} opens, as a long query would
     * ({@code null}: run at once). {@link #executing()} tells when one is blocked.
     */
    public void holdExecutes(java.util.concurrent.CountDownLatch gate) {
        executeGate = gate;
    }

    /** Executions blocked by {@link #holdExecutes} now. */
    public int executing() {
        return executing.get();
    }

    /** One execution reaching the "server": applies injected faults, then records the SQL. */
    void execute(String sql) throws SQLException {
        checkOpen();
        java.util.concurrent.CountDownLatch gate = executeGate;
        if (gate != null) {
            executing.incrementAndGet();
            try {
                if (!gate.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new SQLException("Stub execution gate never opened", "57014");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("Interrupted in a held execution", "57014", e);
            } finally {
                executing.decrementAndGet();
            }
        }
        executedSql.add(String.valueOf(sql));
        checkAlive();
        driver.checkExecute();
        executeFailures.check();
        if (!autoCommit) {
            inTransaction = true;
        }
    }

    void checkOpen() throws SQLException {
        if (closed.get()) {
            throw new SQLException("Stub connection " + id + " is closed", CLOSED_STATE);
        }
    }

    private void checkAlive() throws SQLException {
        checkOpen();
        String state = killedState.get();
        if (state != null) {
            throw new SQLException("Stub connection " + id + " was killed (SQLState " + state + ")", state);
        }
    }

    private <T extends StubStatement> T track(T statement) {
        statements.add(statement);
        return statement;
    }

    // ---- Connection: statements

    @Override
    public Statement createStatement() throws SQLException {
        return createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, holdability);
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        return createStatement(resultSetType, resultSetConcurrency, holdability);
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        checkOpen();
        return track(new StubStatement(this, resultSetType, resultSetConcurrency, resultSetHoldability));
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, holdability);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        return prepareStatement(sql, resultSetType, resultSetConcurrency, holdability);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        checkOpen();
        return track(new StubPreparedStatement(this, sql, resultSetType, resultSetConcurrency,
                resultSetHoldability));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        return prepareStatement(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        return prepareStatement(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        return prepareStatement(sql);
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        return prepareCall(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, holdability);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        return prepareCall(sql, resultSetType, resultSetConcurrency, holdability);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        checkOpen();
        return track(new StubCallableStatement(this, sql, resultSetType, resultSetConcurrency,
                resultSetHoldability));
    }

    @Override
    public String nativeSQL(String sql) throws SQLException {
        checkOpen();
        return sql;
    }

    // ---- Connection: transactions

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        checkOpen();
        if (autoCommit && !this.autoCommit && inTransaction) {
            // JDBC: switching auto-commit on commits the open transaction
            commit();
        }
        this.autoCommit = autoCommit;
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        checkOpen();
        return autoCommit;
    }

    /** As PostgreSQL's driver: fails in auto-commit mode with SQLState {@code 25P01}. */
    @Override
    public void commit() throws SQLException {
        checkAlive();
        if (autoCommit) {
            throw new SQLException("Cannot commit when autoCommit is enabled", "25P01");
        }
        inTransaction = false;
        commits.incrementAndGet();
    }

    /** As PostgreSQL's driver: fails in auto-commit mode with SQLState {@code 25P01}. */
    @Override
    public void rollback() throws SQLException {
        checkAlive();
        if (autoCommit) {
            throw new SQLException("Cannot rollback when autoCommit is enabled", "25P01");
        }
        inTransaction = false;
        rollbacks.incrementAndGet();
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        checkOpen();
        throw new SQLFeatureNotSupportedException("Stub connections have no savepoints");
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        checkOpen();
        throw new SQLFeatureNotSupportedException("Stub connections have no savepoints");
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        checkOpen();
        throw new SQLFeatureNotSupportedException("Stub connections have no savepoints");
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        checkOpen();
        throw new SQLFeatureNotSupportedException("Stub connections have no savepoints");
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        checkAlive();
        if (level != TRANSACTION_READ_UNCOMMITTED && level != TRANSACTION_READ_COMMITTED
                && level != TRANSACTION_REPEATABLE_READ && level != TRANSACTION_SERIALIZABLE) {
            throw new SQLException("Unknown transaction isolation level " + level, "HY024");
        }
        this.transactionIsolation = level;
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        checkOpen();
        return transactionIsolation;
    }

    // ---- Connection: session state

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        checkOpen();
        this.readOnly = readOnly;
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        checkOpen();
        return readOnly;
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        checkOpen();
        this.catalog = catalog;
    }

    @Override
    public String getCatalog() throws SQLException {
        checkOpen();
        return catalog;
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        checkAlive();
        this.schema = schema;
    }

    @Override
    public String getSchema() throws SQLException {
        checkOpen();
        return schema;
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        checkOpen();
        if (milliseconds < 0) {
            throw new SQLException("Network timeout must not be negative: " + milliseconds, "HY000");
        }
        this.networkTimeout = milliseconds;
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        checkOpen();
        return networkTimeout;
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        checkOpen();
        this.holdability = holdability;
    }

    @Override
    public int getHoldability() throws SQLException {
        checkOpen();
        return holdability;
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        checkOpen();
        return typeMap;
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        checkOpen();
        this.typeMap = map == null ? Map.of() : Map.copyOf(map);
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        if (closed.get()) {
            throw new SQLClientInfoException("Stub connection " + id + " is closed", CLOSED_STATE, 0,
                    Map.of());
        }
        synchronized (clientInfo) {
            if (value == null) {
                clientInfo.remove(name);
            } else {
                clientInfo.setProperty(name, value);
            }
        }
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        if (closed.get()) {
            throw new SQLClientInfoException("Stub connection " + id + " is closed", CLOSED_STATE, 0,
                    Map.of());
        }
        synchronized (clientInfo) {
            clientInfo.clear();
            clientInfo.putAll(properties);
        }
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        checkOpen();
        synchronized (clientInfo) {
            return clientInfo.getProperty(name);
        }
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        checkOpen();
        synchronized (clientInfo) {
            Properties copy = new Properties();
            copy.putAll(clientInfo);
            return copy;
        }
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
        clearWarningsCalls.incrementAndGet();
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        checkOpen();
        return new StubDatabaseMetaData(this);
    }

    // ---- Connection: life

    /** True unless closed, killed, or made invalid here or on the driver. */
    @Override
    public boolean isValid(int timeout) throws SQLException {
        if (timeout < 0) {
            throw new SQLException("Timeout must not be negative: " + timeout, "HY000");
        }
        validations.incrementAndGet();
        return !closed.get() && killedState.get() == null && valid && driver.valid();
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        closeCalls.incrementAndGet();
        if (closed.compareAndSet(false, true)) {
            closeStatements();
        }
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        if (executor == null) {
            throw new SQLException("abort needs an executor", "HY000");
        }
        if (closed.compareAndSet(false, true)) {
            aborted = true;
            executor.execute(this::closeStatements);
        }
    }

    private void closeStatements() {
        for (StubStatement statement : statements) {
            statement.close();
        }
    }

    // ---- Connection: unsupported object factories

    @Override
    public Clob createClob() throws SQLException {
        checkOpen();
        throw new SQLFeatureNotSupportedException("Stub connections create no Clob");
    }

    @Override
    public Blob createBlob() throws SQLException {
        checkOpen();
        throw new SQLFeatureNotSupportedException("Stub connections create no Blob");
    }

    @Override
    public NClob createNClob() throws SQLException {
        checkOpen();
        throw new SQLFeatureNotSupportedException("Stub connections create no NClob");
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        checkOpen();
        throw new SQLFeatureNotSupportedException("Stub connections create no SQLXML");
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        checkOpen();
        throw new SQLFeatureNotSupportedException("Stub connections create no Array");
    }

    @Override
    public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        checkOpen();
        throw new SQLFeatureNotSupportedException("Stub connections create no Struct");
    }

    // ---- Wrapper

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("StubConnection is not a " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "StubConnection[" + driver.name() + "#" + id + (closed.get() ? ", closed" : "") + "]";
    }
}
