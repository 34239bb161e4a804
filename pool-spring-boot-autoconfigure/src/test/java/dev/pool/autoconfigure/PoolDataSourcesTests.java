package dev.pool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.PoolConfig;
import dev.pool.PoolDataSource;
import dev.pool.test.StubDriver;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;

class PoolDataSourcesTests {

    private final PoolDataSource pool = pool("orders");

    @AfterEach
    void closePool() {
        pool.close();
    }

    @Test
    void findsThePoolItselfAndBehindSpringsDelegatesAndProxies() {
        assertThat(PoolDataSources.unwrap(pool)).isSameAs(pool);
        assertThat(PoolDataSources.unwrap(new LazyConnectionDataSourceProxy(pool))).isSameAs(pool);
        assertThat(PoolDataSources.unwrap((DataSource) new ProxyFactory(pool).getProxy())).isSameAs(pool);
    }

    /** What datasource-proxy, p6spy and tracing decorators are: a DataSource that passes unwrap on. */
    @Test
    void findsThePoolBehindAJdbcDecorator() {
        assertThat(PoolDataSources.unwrap(new Decorator(pool))).isSameAs(pool);
        assertThat(PoolDataSources.unwrap(new DelegatingDataSource(new Decorator(new Decorator(pool))))).isSameAs(pool);
    }

    /** A decorator that answers for the interface only: the root it unwraps to is still found. */
    @Test
    void findsThePoolBehindADecoratorThatUnwrapsToInterfacesOnly() {
        assertThat(PoolDataSources.unwrap(new InterfaceOnlyDecorator(pool))).isSameAs(pool);
    }

    @Test
    void findsNothingWhereThereIsNoPool() {
        DataSource plain = new StubDriver().dataSource();
        assertThat(PoolDataSources.unwrap(plain)).isNull();
        assertThat(PoolDataSources.unwrap(new Decorator(plain))).isNull();
    }

    /** Boot's "two DataSources" recipe declares the second one no default candidate; it is a pool all the same. */
    @Test
    void byNameFindsPoolsThatAreNoDefaultCandidateAndEachPoolOnce() {
        new ApplicationContextRunner().withUserConfiguration(PoolsConfiguration.class).run((context) -> {
            assertThat(PoolDataSources.byName(context.getBeanProvider(DataSource.class)))
                    .containsOnlyKeys("first", "second");
            assertThat(PoolDataSources.byName(context.getBeanFactory())).containsOnlyKeys("first", "second");
        });
    }

    static PoolDataSource pool(String name) {
        PoolConfig config = new PoolConfig();
        config.setName(name);
        config.setDataSource(new StubDriver().dataSource());
        return new PoolDataSource(config);
    }

    @Configuration(proxyBeanMethods = false)
    static class PoolsConfiguration {

        @Bean(destroyMethod = "close")
        PoolDataSource first() {
            return pool("first");
        }

        @Bean
        DataSource decoratedFirst(PoolDataSource first) {
            return new Decorator(first);
        }

        @Bean(destroyMethod = "close", defaultCandidate = false)
        DataSource second() {
            return new Decorator(pool("second"));
        }
    }

    /** A JDBC decorator: implements DataSource only and passes everything, unwrap included, on. */
    static class Decorator implements DataSource {

        private final DataSource target;

        Decorator(DataSource target) {
            this.target = target;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return target.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return target.getConnection(username, password);
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return target.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            target.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            target.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return target.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getLogger("decorator");
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return target.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return target.isWrapperFor(type);
        }

        /** So that the context closes the pool behind it. */
        public void close() {
            if (target instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
    }

    /** Answers unwrap for interfaces only, with what it wraps, as some decorators do. */
    static class InterfaceOnlyDecorator extends Decorator {

        private final DataSource target;

        InterfaceOnlyDecorator(DataSource target) {
            super(target);
            this.target = target;
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            if (type == DataSource.class) {
                return type.cast(target);
            }
            throw new SQLException("Not a wrapper for " + type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return type == DataSource.class;
        }
    }
}
