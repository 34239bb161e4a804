package dev.pool.autoconfigure;

import dev.pool.PoolDataSource;
import dev.pool.PoolStats;
import org.springframework.boot.jdbc.metadata.AbstractDataSourcePoolMetadata;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadata;

/**
 * {@link DataSourcePoolMetadata} of a {@link PoolDataSource}, so that Boot's own
 * {@code jdbc.connections.*} metrics and health details see the pool. Each call reads a fresh
 * {@link PoolStats} snapshot.
 */
public class PoolDataSourcePoolMetadata extends AbstractDataSourcePoolMetadata<PoolDataSource> {

    public PoolDataSourcePoolMetadata(PoolDataSource dataSource) {
        super(dataSource);
    }

    @Override
    public Integer getActive() {
        return getDataSource().stats().active();
    }

    @Override
    public Integer getIdle() {
        return getDataSource().stats().idle();
    }

    @Override
    public Integer getMax() {
        return getDataSource().stats().maxSize();
    }

    @Override
    public Integer getMin() {
        return getDataSource().stats().minSize();
    }

    @Override
    public String getValidationQuery() {
        return getDataSource().getConfig().getValidationQuery();
    }

    /** The auto-commit the pool sets on each lent connection; {@code null} if it keeps the driver's. */
    @Override
    public Boolean getDefaultAutoCommit() {
        return getDataSource().getConfig().getAutoCommit();
    }
}
