package dev.pool;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * The data source for reads: lends from the usable read replica (see {@link ReplicaMonitor}) with
 * the fewest borrowed connections, and from the primary when no replica is usable. "Fewest
 * borrowed" spreads load by what each replica is busy with now, not by turns, so a slow replica
 * gets fewer reads; ties go to the first replica.
 *
 * <p>A replica that fails to lend (it went down since its last check, or its pool timed out) is
 * reported to the monitor, which skips it until a check passes again, and the next replica, then the
 * primary, is asked instead: the caller sees a failure only when the primary fails too. A read
 * already running on a replica connection when that replica goes away fails, as on any server.
 *
 * <p>This class only chooses where a connection comes from; which connections are reads is decided
 * by whoever calls it (in Spring, {@code LazyConnectionDataSourceProxy}'s read-only data source).
 */
public final class ReplicaRoutingDataSource implements DataSource {

    private static final org.slf4j.Logger log = LoggerFactory.getLogger(ReplicaRoutingDataSource.class);
    private static final Comparator<PoolDataSource> FEWEST_BORROWED = Comparator.comparingInt(pool -> pool.stats().active());

    private final DataSource primary;
    private final ReplicaMonitor monitor;

    public ReplicaRoutingDataSource(DataSource primary, ReplicaMonitor monitor) {
        this.primary = Objects.requireNonNull(primary, "primary");
        this.monitor = Objects.requireNonNull(monitor, "monitor");
    }

    @Override
    public Connection getConnection() throws SQLException {
        List<PoolDataSource> usable = monitor.usableReplicas();
        usable.sort(FEWEST_BORROWED); // stable: ties keep the configured order
        for (PoolDataSource replica : usable) {
            try {
                return replica.getConnection();
            } catch (SQLException e) {
                monitor.markUnreachable(replica, e);
                log.debug("Replica {} could not lend a connection, trying the next", replica.getName(), e);
            }
        }
        return primary.getConnection();
    }

    /** Not supported, as on {@link PoolDataSource}: every pool lends with its configured credentials. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("ReplicaRoutingDataSource lends with the pools' own credentials");
    }

    /** The monitor that says which replicas are usable. */
    public ReplicaMonitor monitor() {
        return monitor;
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return primary.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        primary.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        primary.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return primary.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return primary.getParentLogger();
    }

    /**
     * Unwraps to this class only: it stands for several pools, so it answers for none of them
     * (metrics, health and the endpoint find each pool as its own bean).
     */
    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("ReplicaRoutingDataSource is not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
