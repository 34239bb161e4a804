package dev.pool.benchmarks.load;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.pool.PoolConfig;
import dev.pool.PoolDataSource;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;
import org.postgresql.Driver;

/**
 * The pools the load benchmark compares, each opened over PostgreSQL's driver with the same fair
 * settings: {@code size} connections at most, all of them opened before the cell starts and kept
 * (min idle = max size), a borrower waits at most {@code waitTimeout}, and no leak detection,
 * metrics or JMX. Validation stays as each pool ships it, as in the JMH benchmarks'
 * {@code PoolUnderTest}: Pool and HikariCP check a connection only after it sat idle (1 s and
 * 500 ms, so never under load), Agroal not at all, and DBCP2 on every borrow
 * ({@code testOnBorrow=true}, one extra round trip per borrow), as its users get it.
 */
enum LoadPool {

    /** This project's pool. */
    POOL("Pool") {
        @Override
        DataSource create(Database database, String applicationName, int size, Duration waitTimeout) {
            return new PoolDataSource(poolConfig(database, applicationName, size, waitTimeout));
        }
    },

    /** HikariCP, the version Spring Boot manages. */
    HIKARI("HikariCP") {
        @Override
        DataSource create(Database database, String applicationName, int size, Duration waitTimeout) {
            HikariConfig config = new HikariConfig();
            config.setPoolName(applicationName);
            config.setJdbcUrl(database.url(applicationName));
            config.setUsername(database.user());
            config.setPassword(database.password());
            config.setMaximumPoolSize(size);
            config.setMinimumIdle(size);
            config.setConnectionTimeout(waitTimeout.toMillis());
            return new HikariDataSource(config);
        }
    },

    /** Agroal, connecting through PostgreSQL's {@link Driver}. */
    AGROAL("Agroal") {
        @Override
        DataSource create(Database database, String applicationName, int size, Duration waitTimeout) throws SQLException {
            return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                    .connectionPoolConfiguration(pool -> pool
                            .maxSize(size)
                            .minSize(size)
                            .initialSize(size)
                            .acquisitionTimeout(waitTimeout)
                            .connectionFactoryConfiguration(factory -> {
                                factory.connectionProviderClass(Driver.class)
                                        .jdbcUrl(database.url(applicationName))
                                        .principal(new NamePrincipal(database.user()));
                                if (database.password() != null) {
                                    factory.credential(new SimplePassword(database.password()));
                                }
                                return factory;
                            })));
        }
    },

    /** Commons DBCP2's {@link BasicDataSource}. */
    DBCP2("DBCP2") {
        @Override
        DataSource create(Database database, String applicationName, int size, Duration waitTimeout) {
            BasicDataSource dataSource = new BasicDataSource();
            dataSource.setDriverClassName(Driver.class.getName());
            dataSource.setUrl(database.url(applicationName));
            dataSource.setUsername(database.user());
            dataSource.setPassword(database.password());
            dataSource.setMaxTotal(size);
            // maxIdle defaults to 8: above it DBCP2 would close returned connections and open new ones
            dataSource.setMaxIdle(size);
            dataSource.setMinIdle(size);
            dataSource.setInitialSize(size);
            dataSource.setMaxWait(waitTimeout);
            return dataSource;
        }
    };

    /** The longest {@link #open} keeps trying to borrow every connection once. */
    static final Duration FILL_LIMIT = Duration.ofSeconds(30);

    private static final long FILL_RETRY_PAUSE_NANOS = 100_000_000L;

    private final String displayName;

    LoadPool(String displayName) {
        this.displayName = displayName;
    }

    /** The name in the results' tables. */
    String displayName() {
        return displayName;
    }

    /** The name {@code --pools} takes: pool, hikari, agroal, dbcp2. */
    String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static LoadPool named(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown pool '" + name + "'; the pools are pool, hikari, agroal, dbcp2");
        }
    }

    /**
     * Opens this pool with its connections named {@code applicationName} and borrows {@code size} of
     * them at once, so every connection is open before the first measured borrow, however lazily the
     * pool fills itself.
     */
    DataSource open(Database database, String applicationName, int size, Duration waitTimeout) throws SQLException {
        return filled(create(database, applicationName, size, waitTimeout), size);
    }

    /**
     * Pool's settings in every cell, as {@link #POOL} opens it: the overload scenario's Pool variants
     * ({@link OverloadContender#pool}) start from these and change what they are about.
     */
    static PoolConfig poolConfig(Database database, String applicationName, int size, Duration waitTimeout) {
        PoolConfig config = new PoolConfig();
        config.setName(applicationName);
        config.setUrl(database.url(applicationName));
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaxSize(size);
        config.setMinSize(size);
        config.setMinIdle(size);
        config.setInitialSize(size);
        config.setConnectionWaitTimeout(waitTimeout);
        return config;
    }

    /**
     * {@code dataSource} with {@code size} connections borrowed at once and returned, so every
     * connection is open before the first measured borrow; closed again if that fails.
     */
    static DataSource filled(DataSource dataSource, int size) throws SQLException {
        try {
            fill(dataSource, size);
            return dataSource;
        } catch (SQLException | RuntimeException e) {
            close(dataSource);
            throw e;
        }
    }

    /**
     * Borrows {@code size} connections at once and returns them. A borrow that times out is tried
     * again until {@link #FILL_LIMIT}: the overload scenario's wait timeout is a few hundred
     * milliseconds, less than a pool that connects in the background (HikariCP, Agroal) may take to
     * open 10 connections on a busy machine.
     */
    private static void fill(DataSource dataSource, int size) throws SQLException {
        Connection[] connections = new Connection[size];
        long deadline = System.nanoTime() + FILL_LIMIT.toNanos();
        try {
            for (int i = 0; i < size; i++) {
                while (connections[i] == null) {
                    try {
                        connections[i] = dataSource.getConnection();
                    } catch (SQLException e) {
                        if (System.nanoTime() - deadline >= 0) {
                            throw e;
                        }
                        LockSupport.parkNanos(FILL_RETRY_PAUSE_NANOS); // a pool that fails fast is not hammered
                    }
                }
            }
        } finally {
            for (Connection connection : connections) {
                if (connection != null) {
                    connection.close();
                }
            }
        }
    }

    /** Closes a data source that {@link #open} returned. */
    static void close(DataSource dataSource) {
        if (dataSource instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                System.err.println("Could not close " + dataSource + ": " + e);
            }
        }
    }

    abstract DataSource create(Database database, String applicationName, int size, Duration waitTimeout) throws SQLException;
}
