package dev.pool.benchmarks.load;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Where a client gets its connection for one transaction and gives it back: a pool, or for the
 * ceiling a connection the client owns for the whole cell ({@link DedicatedConnections}).
 */
interface ConnectionSource {

    /** A connection for client number {@code client}; the acquire latency is the time this takes. */
    Connection acquire(int client) throws SQLException;

    /** Gives back what {@link #acquire} returned. */
    void release(Connection connection) throws SQLException;

    /** A pool: borrow with {@code getConnection()}, return with {@code close()}. */
    static ConnectionSource pooled(DataSource pool) {
        return new ConnectionSource() {
            @Override
            public Connection acquire(int client) throws SQLException {
                return pool.getConnection();
            }

            @Override
            public void release(Connection connection) throws SQLException {
                connection.close();
            }
        };
    }
}
