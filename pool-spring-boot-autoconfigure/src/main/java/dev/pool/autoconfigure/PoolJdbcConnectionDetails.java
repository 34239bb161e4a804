package dev.pool.autoconfigure;

import org.springframework.boot.jdbc.EmbeddedDatabaseConnection;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.util.StringUtils;

/**
 * Where the pool connects when no service connection (Testcontainers, Docker Compose) supplies
 * {@link JdbcConnectionDetails}: {@code pool.url} if set, else what Boot resolves for
 * {@code spring.datasource.*}, including its embedded-database default.
 *
 * <p>With {@code pool.url} set, an unset {@code pool.username} or {@code pool.password} falls back
 * to {@code spring.datasource.username} and {@code spring.datasource.password}, but the driver does
 * not: {@code spring.datasource.driver-class-name} belongs to {@code spring.datasource.url}.
 */
final class PoolJdbcConnectionDetails implements JdbcConnectionDetails {

    private final PoolProperties pool;
    private final DataSourceProperties dataSource;

    PoolJdbcConnectionDetails(PoolProperties pool, DataSourceProperties dataSource) {
        this.pool = pool;
        this.dataSource = dataSource;
    }

    /** The URL, or {@code null} when there is none anywhere: the pool then reports {@code pool.url} as missing. */
    @Override
    public String getJdbcUrl() {
        if (hasPoolUrl()) {
            return pool.getUrl();
        }
        return springUrlAvailable() ? dataSource.determineUrl() : null;
    }

    @Override
    public String getUsername() {
        if (StringUtils.hasText(pool.getUsername())) {
            return pool.getUsername();
        }
        return hasPoolUrl() || !springUrlAvailable() ? dataSource.getUsername() : dataSource.determineUsername();
    }

    @Override
    public String getPassword() {
        if (StringUtils.hasText(pool.getPassword())) {
            return pool.getPassword();
        }
        return hasPoolUrl() || !springUrlAvailable() ? dataSource.getPassword() : dataSource.determinePassword();
    }

    /**
     * The driver named in configuration, or {@code null}: the pool then takes the driver that
     * {@link java.sql.DriverManager} finds for the URL.
     */
    @Override
    public String getDriverClassName() {
        if (StringUtils.hasText(pool.getDriverClassName())) {
            return pool.getDriverClassName();
        }
        if (hasPoolUrl()) {
            return null;
        }
        return StringUtils.hasText(dataSource.getDriverClassName()) ? dataSource.getDriverClassName() : null;
    }

    private boolean hasPoolUrl() {
        return StringUtils.hasText(pool.getUrl());
    }

    /** Whether {@link DataSourceProperties#determineUrl()} has an answer rather than an exception. */
    private boolean springUrlAvailable() {
        return StringUtils.hasText(dataSource.getUrl())
                || dataSource.getEmbeddedDatabaseConnection() != EmbeddedDatabaseConnection.NONE;
    }
}
