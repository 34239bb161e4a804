package dev.pool.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.pool.PoolConfig;
import dev.pool.PoolDataSource;
import dev.pool.benchmarks.stub.StubDataSource;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;
import org.apache.commons.dbcp2.ConnectionFactory;
import org.apache.commons.dbcp2.DataSourceConnectionFactory;

/**
 * The pools the benchmarks compare, each opened over a {@link StubDataSource} and filled to its
 * maximum size before it is measured.
 *
 * <p>Each pool keeps its own defaults except where a default would make the comparison unfair or
 * measure something else: every pool holds {@code maxSize} connections from the start (so no borrow
 * opens one), waits at most {@link #WAIT_TIMEOUT} for a free one, and runs no leak detection,
 * metrics or JMX. Validation stays as each pool ships it: Pool and HikariCP check a connection only
 * after it sat idle (1 s and 500 ms), Agroal not at all, DBCP2's {@link BasicDataSource} on every
 * borrow ({@code testOnBorrow=true}), as its users get it.
 */
public enum PoolUnderTest {

    /** This project's pool. */
    POOL {
        @Override
        DataSource create(int maxSize) {
            return new PoolDataSource(poolConfig(maxSize));
        }
    },

    /** This project's pool with {@code track-holders} off: beside {@link #POOL}, the cost of sampling who holds the connections. */
    POOL_UNTRACKED {
        @Override
        DataSource create(int maxSize) {
            PoolConfig config = poolConfig(maxSize);
            config.setTrackHolders(false);
            return new PoolDataSource(config);
        }
    },

    /** HikariCP, the version Spring Boot manages. */
    HIKARI {
        @Override
        DataSource create(int maxSize) {
            HikariConfig config = new HikariConfig();
            config.setPoolName("benchmark");
            config.setDataSource(new StubDataSource());
            config.setMaximumPoolSize(maxSize);
            config.setMinimumIdle(maxSize);
            config.setConnectionTimeout(WAIT_TIMEOUT.toMillis());
            return new HikariDataSource(config);
        }
    },

    /** Agroal; it makes its own {@link StubDataSource} from the class, as it does with a driver's. */
    AGROAL {
        @Override
        DataSource create(int maxSize) throws SQLException {
            return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                    .connectionPoolConfiguration(pool -> pool
                            .maxSize(maxSize)
                            .minSize(maxSize)
                            .initialSize(maxSize)
                            .acquisitionTimeout(WAIT_TIMEOUT)
                            .connectionFactoryConfiguration(factory -> factory
                                    .connectionProviderClass(StubDataSource.class))));
        }
    },

    /** Commons DBCP2's {@link BasicDataSource}, taking its connections from the stub. */
    DBCP2 {
        @Override
        DataSource create(int maxSize) {
            BasicDataSource dataSource = new StubBasicDataSource();
            dataSource.setMaxTotal(maxSize);
            // maxIdle defaults to 8: above it DBCP2 would close returned connections and open new ones
            dataSource.setMaxIdle(maxSize);
            dataSource.setMinIdle(maxSize);
            dataSource.setInitialSize(maxSize);
            dataSource.setMaxWait(WAIT_TIMEOUT);
            return dataSource;
        }
    },

    /** No pool: the stub data source itself, the floor every pool adds to. */
    NOPOOL {
        @Override
        DataSource create(int maxSize) {
            return new StubDataSource();
        }
    };

    /** How long a borrower may wait for a free connection, the same for every pool. */
    static final Duration WAIT_TIMEOUT = Duration.ofSeconds(30);

    /** The names the benchmarks' {@code pool} parameter takes. */
    public static PoolUnderTest named(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /**
     * Opens this pool with {@code maxSize} connections and borrows all of them at once, so every
     * connection is open before the first measured borrow, however lazily the pool fills itself.
     */
    public DataSource open(int maxSize) throws SQLException {
        DataSource dataSource = create(maxSize);
        Connection[] connections = new Connection[maxSize];
        try {
            for (int i = 0; i < maxSize; i++) {
                connections[i] = dataSource.getConnection();
            }
        } finally {
            for (Connection connection : connections) {
                if (connection != null) {
                    connection.close();
                }
            }
        }
        return dataSource;
    }

    /** Closes a data source that {@link #open} returned. */
    public static void close(DataSource dataSource) throws Exception {
        if (dataSource instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    abstract DataSource create(int maxSize) throws SQLException;

    private static PoolConfig poolConfig(int maxSize) {
        PoolConfig config = new PoolConfig();
        config.setName("benchmark");
        config.setDataSource(new StubDataSource());
        config.setMaxSize(maxSize);
        config.setMinSize(maxSize);
        config.setMinIdle(maxSize);
        config.setInitialSize(maxSize);
        config.setConnectionWaitTimeout(WAIT_TIMEOUT);
        return config;
    }

    /** DBCP2 builds its connection factory from a driver; this one asks the stub data source instead. */
    private static final class StubBasicDataSource extends BasicDataSource {

        @Override
        protected ConnectionFactory createConnectionFactory() {
            return new DataSourceConnectionFactory(new StubDataSource());
        }
    }
}
