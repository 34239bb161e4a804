package dev.pool.test;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** An unpooled {@link DataSource} over one {@link StubDriver}: every call opens a new connection. */
public final class StubDataSource implements DataSource {

    private final StubDriver driver;
    private final String url;
    private volatile String user;
    private volatile String password;
    private volatile int loginTimeout;
    private volatile PrintWriter logWriter;

    StubDataSource(StubDriver driver, String url) {
        this.driver = Objects.requireNonNull(driver, "driver");
        this.url = Objects.requireNonNull(url, "url");
    }

    public StubDriver driver() {
        return driver;
    }

    public String url() {
        return url;
    }

    /** The user and password sent by {@link #getConnection()}. */
    public StubDataSource withCredentials(String user, String password) {
        this.user = user;
        this.password = password;
        return this;
    }

    @Override
    public StubConnection getConnection() throws SQLException {
        return getConnection(user, password);
    }

    @Override
    public StubConnection getConnection(String username, String password) throws SQLException {
        Properties info = new Properties();
        if (username != null) {
            info.setProperty("user", username);
        }
        if (password != null) {
            info.setProperty("password", password);
        }
        return driver.open(url, info);
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    /** Recorded only: the stub's connects are slowed by {@link StubDriver}'s controls, not by this. */
    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("StubDataSource does not log");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("StubDataSource is not a " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "StubDataSource[" + url + "]";
    }
}
