package dev.pool.benchmarks.load;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The ceiling: one physical connection per client, opened before the cell and never shared, so no
 * client ever waits for another. What a pool of the same size achieves is measured against it.
 */
final class DedicatedConnections implements ConnectionSource, AutoCloseable {

    private final Database database;
    private final String applicationName;
    /** Slot {@code i} belongs to client {@code i} alone, so no slot needs a lock. */
    private final Connection[] connections;

    DedicatedConnections(Database database, String applicationName, int count) throws SQLException {
        this.database = database;
        this.applicationName = applicationName;
        this.connections = new Connection[count];
        try {
            for (int i = 0; i < count; i++) {
                connections[i] = database.connect(applicationName);
            }
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    /** Client {@code client}'s own connection, opened again if a failure closed it. */
    @Override
    public Connection acquire(int client) throws SQLException {
        Connection connection = connections[client];
        if (connection == null || connection.isClosed()) {
            connection = database.connect(applicationName);
            connections[client] = connection;
        }
        return connection;
    }

    /** The client keeps its connection. */
    @Override
    public void release(Connection connection) {
    }

    @Override
    public void close() {
        for (Connection connection : connections) {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    // the cell is over; a connection that cannot close is gone anyway
                }
            }
        }
    }
}
