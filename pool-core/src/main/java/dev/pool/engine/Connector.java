package dev.pool.engine;

import dev.pool.Credentials;
import dev.pool.CredentialsProvider;
import dev.pool.PoolConfig;
import dev.pool.PoolConfigException;
import dev.pool.UrlMasker;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Opens and checks physical connections: from the configured {@link DataSource}, or from the JDBC
 * driver for the URL, as the configured user or with what the {@link CredentialsProvider} returns
 * for this connect. Each new connection gets the pool's session defaults and
 * {@code connection-init-sql} before anyone sees it. Synchronous: the pool decides on which thread.
 */
final class Connector {

    private final DataSource dataSource;
    private final Driver driver;
    private final String url;
    private final Properties properties;
    private final String username;
    private final String password;
    private final CredentialsProvider credentialsProvider;
    private final SessionState.SessionDefaults defaults;
    private final String initSql;
    private final String validationQuery;
    private final int validationTimeoutSeconds;

    Connector(PoolConfig config) {
        this.dataSource = config.getDataSource();
        this.url = config.getUrl();
        this.username = config.getUsername();
        this.password = config.getPassword();
        this.credentialsProvider = config.getCredentialsProvider();
        this.properties = config.connectionProperties();
        boundConnect(properties, url, config.getConnectTimeout());
        this.driver = dataSource == null ? findDriver(config) : null;
        this.defaults = new SessionState.SessionDefaults(config.getAutoCommit(), config.getReadOnly(),
                config.getTransactionIsolation() == null ? null : config.getTransactionIsolation().jdbcLevel(),
                config.getCatalog(), config.getSchema());
        this.initSql = blankToNull(config.getConnectionInitSql());
        this.validationQuery = blankToNull(config.getValidationQuery());
        long timeout = config.getValidationTimeout().toMillis();
        this.validationTimeoutSeconds = timeout == 0 ? 0 : (int) Math.max(1, TimeUnit.MILLISECONDS.toSeconds(timeout + 999));
    }

    /**
     * PostgreSQL's driver waits for a TCP connect and the login as long as the OS lets it unless told
     * otherwise: give it {@code connect-timeout}, unless the user set its own limits.
     */
    private static void boundConnect(Properties properties, String url, java.time.Duration connectTimeout) {
        if (url == null || !url.startsWith("jdbc:postgresql:") || connectTimeout.isZero()) {
            return;
        }
        String seconds = String.valueOf(Math.max(1, (connectTimeout.toMillis() + 999) / 1000));
        for (String key : new String[] {"connectTimeout", "loginTimeout"}) {
            if (!properties.containsKey(key) && !url.contains(key + "=")) {
                properties.setProperty(key, seconds);
            }
        }
    }

    private static Driver findDriver(PoolConfig config) {
        String className = config.getDriverClassName();
        if (className != null && !className.isBlank()) {
            Driver driver = instantiate(className);
            try {
                if (!driver.acceptsURL(config.getUrl())) {
                    throw new PoolConfigException("pool.url", UrlMasker.mask(config.getUrl()),
                            "driver " + className + " does not accept this URL");
                }
            } catch (SQLException e) {
                throw new PoolConfigException("pool.url", UrlMasker.mask(config.getUrl()), "driver " + className + " rejects it: " + e.getMessage());
            }
            return driver;
        }
        try {
            return DriverManager.getDriver(config.getUrl());
        } catch (SQLException e) {
            throw new PoolConfigException("pool.url", UrlMasker.mask(config.getUrl()),
                    "no JDBC driver on the classpath accepts it: check the URL's form (a driver refuses a URL it cannot parse), "
                            + "add the driver's dependency, or set pool.driver-class-name");
        }
    }

    private static Driver instantiate(String className) {
        Class<?> type;
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            type = Class.forName(className, true, loader != null ? loader : Connector.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new PoolConfigException("pool.driver-class-name", className, "class not found on the classpath");
        }
        if (!Driver.class.isAssignableFrom(type)) {
            throw new PoolConfigException("pool.driver-class-name", className, "is not a java.sql.Driver");
        }
        try {
            return (Driver) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new PoolConfigException("pool.driver-class-name", className, "cannot be instantiated: " + e);
        }
    }

    /** Opens, configures and initialises one physical connection. */
    Connection connect() throws SQLException {
        Connection raw = open();
        try {
            defaults.applyTo(raw);
            if (initSql != null) {
                try (Statement s = raw.createStatement()) {
                    s.execute(initSql);
                }
                if (!raw.getAutoCommit()) {
                    raw.commit(); // the init SQL opened a transaction; no borrower should inherit it
                }
            }
            checkValidationQuery(raw);
            return raw;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(raw);
            throw e;
        }
    }

    private Connection open() throws SQLException {
        Connection raw;
        if (credentialsProvider != null) {
            Credentials credentials = askCredentials();
            String user = credentials.username() != null ? credentials.username() : username;
            raw = dataSource != null
                    ? dataSource.getConnection(user, credentials.password())
                    : driver.connect(url, withCredentials(user, credentials.password()));
        } else if (dataSource != null) {
            raw = username == null ? dataSource.getConnection() : dataSource.getConnection(username, password);
        } else {
            raw = driver.connect(url, properties);
        }
        if (raw == null) {
            String source = dataSource != null ? "DataSource " + dataSource.getClass().getName()
                    : "Driver " + driver.getClass().getName() + " for " + UrlMasker.mask(url);
            throw new SQLException(source + " returned no connection (null)", "08001");
        }
        return raw;
    }

    /** Asks the provider, for every connect: what it returns is never kept, logged or put in a message. */
    private Credentials askCredentials() throws SQLException {
        Credentials credentials;
        try {
            credentials = credentialsProvider.credentials();
        } catch (RuntimeException e) {
            throw new SQLException("The credentials provider (" + credentialsProvider.getClass().getName() + ") failed: " + e, "08001", e);
        }
        if (credentials == null) {
            throw new SQLException("The credentials provider (" + credentialsProvider.getClass().getName() + ") returned no credentials", "08001");
        }
        return credentials;
    }

    /** The connection properties for one connect, with the provider's user and password in place of the configured ones. */
    private Properties withCredentials(String user, String secret) {
        Properties connect = (Properties) properties.clone();
        connect.remove("user");
        connect.remove("password");
        if (user != null) {
            connect.setProperty("user", user);
        }
        if (secret != null) {
            connect.setProperty("password", secret);
        }
        return connect;
    }

    /**
     * Runs the validation query once on a new connection: a query that can never succeed would
     * otherwise fail every validation and silently replace every connection that sat idle a second.
     */
    private void checkValidationQuery(Connection raw) throws SQLException {
        if (validationQuery == null) {
            return;
        }
        try {
            runValidationQuery(raw);
        } catch (SQLException e) {
            throw new SQLException("pool.validation-query = '" + validationQuery + "' fails on a new connection: " + e.getMessage(),
                    e.getSQLState(), e);
        }
    }

    /** Runs {@code validation-query}, bounded by {@code validation-timeout}, leaving no transaction open. */
    private void runValidationQuery(Connection raw) throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.setQueryTimeout(validationTimeoutSeconds);
            s.execute(validationQuery);
        }
        if (!raw.getAutoCommit()) {
            raw.rollback();
        }
    }

    SessionState.SessionDefaults defaults() {
        return defaults;
    }

    /** Is the connection alive? Bounded by {@code validation-timeout}; any failure means no. */
    boolean isValid(Connection raw) {
        try {
            if (validationQuery == null) {
                return raw.isValid(validationTimeoutSeconds);
            }
            runValidationQuery(raw);
            return true;
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** Rolls back whatever the connection was doing, then closes it; for connections taken from a borrower. */
    static void rollbackAndClose(Connection raw) {
        try {
            if (!raw.getAutoCommit()) {
                raw.rollback();
            }
        } catch (SQLException | RuntimeException ignored) {
            // it is being closed: the server rolls back an open transaction on close anyway
        }
        closeQuietly(raw);
    }

    static void closeQuietly(Connection raw) {
        try {
            raw.close();
        } catch (SQLException | RuntimeException ignored) {
            // closing a connection we are discarding: nothing left to do with the error
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
