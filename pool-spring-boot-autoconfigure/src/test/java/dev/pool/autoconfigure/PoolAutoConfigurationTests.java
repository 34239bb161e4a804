package dev.pool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.Credentials;
import dev.pool.CredentialsProvider;
import dev.pool.IsolationLevel;
import dev.pool.PoolConfig;
import dev.pool.PoolConfigException;
import dev.pool.PoolDataSource;
import dev.pool.test.StubDriver;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.jdbc.metadata.CompositeDataSourcePoolMetadataProvider;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadata;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

class PoolAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PoolAutoConfiguration.class, DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class));

    private StubDriver driver;

    @BeforeEach
    void registerStubDriver() throws SQLException {
        driver = new StubDriver().register();
    }

    @AfterEach
    void deregisterStubDriver() {
        driver.deregister();
    }

    @Test
    void registersPoolDataSourceFromPoolUrl() {
        contextRunner.withPropertyValues("pool.url=" + driver.url(), "pool.username=app", "pool.password=secret")
                .run((context) -> {
                    assertThat(context).hasSingleBean(DataSource.class);
                    PoolDataSource pool = context.getBean(PoolDataSource.class);
                    assertThat(pool.getConfig().getUrl()).isEqualTo(driver.url());
                    assertThat(pool.getConfig().getPassword()).isEqualTo("secret");
                    try (Connection connection = pool.getConnection()) {
                        assertThat(connection.isValid(1)).isTrue();
                    }
                    assertThat(driver.attempts()).singleElement()
                            .satisfies((attempt) -> assertThat(attempt.user()).isEqualTo("app"));
                });
    }

    @Test
    void jdbcTemplateAndTransactionsRunOnThePool() {
        contextRunner.withPropertyValues("pool.url=" + driver.url()).run((context) -> {
            assertThat(context.getBean(JdbcTemplate.class).getDataSource()).isSameAs(context.getBean(PoolDataSource.class));
            assertThat(context).hasBean("transactionManager");
        });
    }

    @Test
    void closesThePoolWithTheContext() {
        contextRunner.withPropertyValues("pool.url=" + driver.url(), "pool.initial-size=2").run((context) -> {
            PoolDataSource pool = context.getBean(PoolDataSource.class);
            assertThat(pool.stats().total()).isEqualTo(2);
            context.close();
            assertThat(pool.isClosed()).isTrue();
            assertThat(driver.openConnections()).isZero();
        });
    }

    @Test
    void userDefinedDataSourceWins() {
        contextRunner.withPropertyValues("pool.url=" + driver.url())
                .withUserConfiguration(UserDataSourceConfiguration.class)
                .run((context) -> {
                    assertThat(context).hasSingleBean(DataSource.class).doesNotHaveBean(PoolDataSource.class);
                    assertThat(context.getBean(DataSource.class)).isSameAs(context.getBean("userDataSource"));
                });
    }

    @Test
    void backsOffWhenDisabled() {
        contextRunner.withPropertyValues("pool.enabled=false", "pool.url=" + driver.url())
                .run((context) -> assertThat(context).doesNotHaveBean(PoolDataSource.class)
                        .doesNotHaveBean(PoolProperties.class)
                        .doesNotHaveBean(DataSourcePoolMetadataProvider.class));
    }

    @Test
    void fallsBackToSpringDatasourceProperties() {
        contextRunner.withPropertyValues("spring.datasource.url=" + driver.url(), "spring.datasource.username=boot",
                "spring.datasource.password=boot-secret").run((context) -> {
                    PoolConfig config = context.getBean(PoolDataSource.class).getConfig();
                    assertThat(config.getUrl()).isEqualTo(driver.url());
                    assertThat(config.getUsername()).isEqualTo("boot");
                    assertThat(config.getPassword()).isEqualTo("boot-secret");
                });
    }

    @Test
    void poolPropertiesWinOverSpringDatasourceProperties() {
        StubDriver other = new StubDriver();
        contextRunner.withPropertyValues("pool.url=" + driver.url(), "pool.username=pool-user",
                "spring.datasource.url=" + other.url(), "spring.datasource.username=boot").run((context) -> {
                    PoolConfig config = context.getBean(PoolDataSource.class).getConfig();
                    assertThat(config.getUrl()).isEqualTo(driver.url());
                    assertThat(config.getUsername()).isEqualTo("pool-user");
                });
    }

    @Test
    void poolUrlTakesCredentialsItLacksFromSpringDatasourceProperties() {
        contextRunner.withPropertyValues("pool.url=" + driver.url(), "spring.datasource.username=boot",
                "spring.datasource.password=boot-secret").run((context) -> {
                    PoolConfig config = context.getBean(PoolDataSource.class).getConfig();
                    assertThat(config.getUsername()).isEqualTo("boot");
                    assertThat(config.getPassword()).isEqualTo("boot-secret");
                });
    }

    @Test
    void jdbcConnectionDetailsBeanWinsOverProperties() {
        contextRunner.withPropertyValues("pool.url=" + driver.url(), "pool.username=pool-user",
                "spring.datasource.url=" + driver.url())
                .withUserConfiguration(ServiceConnectionConfiguration.class)
                .run((context) -> {
                    PoolDataSource pool = context.getBean(PoolDataSource.class);
                    assertThat(pool.getConfig().getUrl()).isEqualTo(ServiceConnectionConfiguration.URL);
                    assertThat(pool.getConfig().getDriverClassName()).isEqualTo("org.h2.Driver");
                    try (Connection connection = pool.getConnection()) {
                        assertThat(connection.getMetaData().getURL()).isEqualTo("jdbc:h2:mem:service-connection");
                        assertThat(connection.getMetaData().getUserName()).isEqualToIgnoringCase("service");
                    }
                    assertThat(driver.connectAttempts()).isZero();
                });
    }

    @Test
    void aCredentialsProviderBeanGivesEveryConnectItsUserAndPassword() {
        contextRunner.withPropertyValues("pool.url=" + driver.url(), "pool.username=static-user", "pool.password=static")
                .withUserConfiguration(CredentialsProviderConfiguration.class)
                .run((context) -> {
                    PoolDataSource pool = context.getBean(PoolDataSource.class);
                    assertThat(pool.getConfig().getCredentialsProvider())
                            .isSameAs(context.getBean(CredentialsProvider.class));
                    try (Connection first = pool.getConnection(); Connection second = pool.getConnection()) {
                        assertThat(first.isValid(1)).isTrue();
                        assertThat(second.isValid(1)).isTrue();
                    }
                    assertThat(driver.attempts()).hasSize(2)
                            .allSatisfy((attempt) -> assertThat(attempt.user()).isEqualTo("rotating-user"));
                    assertThat(CredentialsProviderConfiguration.asked).hasValue(2);
                });
    }

    @Test
    void usesBootsEmbeddedDatabaseWhenNoUrlIsSet() {
        contextRunner.run((context) -> {
            PoolDataSource pool = context.getBean(PoolDataSource.class);
            assertThat(pool.getConfig().getUrl()).startsWith("jdbc:h2:mem:");
            assertThat(pool.getConfig().getUsername()).isEqualTo("sa");
            assertThat(context.getBean(JdbcTemplate.class).queryForObject("select 1 + 1", Integer.class)).isEqualTo(2);
        });
    }

    @Test
    void missingUrlFailsStartUpNamingPoolUrl() {
        contextRunner.withClassLoader(new FilteredClassLoader("org.h2", "org.hsqldb", "org.apache.derby"))
                .run((context) -> {
                    FailureAnalysis analysis = startupFailureAnalysis(context);
                    assertThat(analysis.getDescription()).startsWith("Invalid pool configuration: pool.url = null: ");
                    assertThat(analysis.getAction()).contains("pool.url", "spring.datasource.url", "embedded database");
                });
    }

    @ParameterizedTest(name = "{0} fails naming {1}")
    @CsvSource(delimiter = '|', textBlock = """
            pool.max-size=-1                          | pool.max-size = -1: must be 0 or more
            pool.min-size=5,pool.max-size=2           | pool.min-size = 5: must not be greater than pool.max-size (2)
            pool.min-idle=11                          | pool.min-idle = 11: must not be greater than pool.max-size (10)
            pool.connection-wait-timeout=-1s          | pool.connection-wait-timeout = PT-1S: must not be negative
            pool.driver-class-name=com.example.Absent | pool.driver-class-name = com.example.Absent: class not found
            """)
    void invalidValueFailsStartUpNamingTheProperty(String properties, String expected) {
        contextRunner.withPropertyValues("pool.url=" + driver.url())
                .withPropertyValues(properties.split(","))
                .run((context) -> {
                    FailureAnalysis analysis = startupFailureAnalysis(context);
                    String property = expected.substring(0, expected.indexOf(' '));
                    assertThat(analysis.getDescription()).startsWith("Invalid pool configuration: " + expected);
                    assertThat(analysis.getAction()).startsWith("Change " + property + " in your configuration");
                });
    }

    @Test
    void bindsEveryKindOfValue() {
        contextRunner.withPropertyValues("pool.url=" + driver.url(), "pool.name=orders",
                "pool.connection-wait-timeout=500ms", "pool.max-idle-time=2m", "pool.keepalive-interval=45s",
                "pool.max-idle=3", "pool.transaction-isolation=read-committed", "pool.auto-commit=false",
                "pool.data-source-properties.ApplicationName=orders-app").run((context) -> {
                    PoolConfig config = context.getBean(PoolDataSource.class).getConfig();
                    assertThat(config.getName()).isEqualTo("orders");
                    assertThat(config.getConnectionWaitTimeout()).isEqualTo(Duration.ofMillis(500));
                    assertThat(config.getMaxIdleTime()).isEqualTo(Duration.ofMinutes(2));
                    assertThat(config.getKeepaliveInterval()).isEqualTo(Duration.ofSeconds(45));
                    assertThat(config.getMaxIdle()).isEqualTo(3);
                    assertThat(config.getTransactionIsolation()).isEqualTo(IsolationLevel.READ_COMMITTED);
                    assertThat(config.getAutoCommit()).isFalse();
                    assertThat(config.getDataSourceProperties()).containsExactly(Map.entry("ApplicationName", "orders-app"));
                });
    }

    @Test
    void answersBootsDataSourcePoolMetadata() {
        contextRunner.withPropertyValues("pool.url=" + driver.url(), "pool.max-size=7", "pool.min-size=2",
                "pool.validation-query=select 1", "pool.auto-commit=false").run((context) -> {
                    PoolDataSource pool = context.getBean(PoolDataSource.class);
                    DataSourcePoolMetadata metadata = new CompositeDataSourcePoolMetadataProvider(
                            context.getBeanProvider(DataSourcePoolMetadataProvider.class).orderedStream().toList())
                            .getDataSourcePoolMetadata(pool);
                    assertThat(metadata).isInstanceOf(PoolDataSourcePoolMetadata.class);
                    assertThat(metadata.getMax()).isEqualTo(7);
                    assertThat(metadata.getMin()).isEqualTo(2);
                    assertThat(metadata.getValidationQuery()).isEqualTo("select 1");
                    assertThat(metadata.getDefaultAutoCommit()).isFalse();
                    try (Connection borrowed = pool.getConnection()) {
                        assertThat(metadata.getActive()).isEqualTo(1);
                        assertThat(metadata.getUsage()).isEqualTo(1f / 7);
                    }
                    assertThat(metadata.getActive()).isZero();
                    assertThat(metadata.getIdle()).isEqualTo(pool.stats().idle()).isPositive();
                });
    }

    @Test
    void answersMetadataForAUserDefinedPool() {
        contextRunner.withUserConfiguration(UserPoolConfiguration.class).run((context) -> {
            DataSourcePoolMetadataProvider provider = context.getBean(DataSourcePoolMetadataProvider.class);
            assertThat(provider.getDataSourcePoolMetadata(context.getBean(DataSource.class))).isNotNull();
        });
    }

    @Test
    void answersMetadataForAPoolBehindAJdbcDecorator() {
        contextRunner.withUserConfiguration(UserPoolConfiguration.class).run((context) -> {
            DataSourcePoolMetadataProvider provider = context.getBean(DataSourcePoolMetadataProvider.class);
            DataSource decorated = new PoolDataSourcesTests.Decorator(context.getBean(PoolDataSource.class));
            assertThat(provider.getDataSourcePoolMetadata(decorated)).isInstanceOf(PoolDataSourcePoolMetadata.class);
        });
    }

    @Test
    void aPoolBeanBuiltWithoutANameIsNamedAfterItsBean() {
        contextRunner.withPropertyValues("pool.url=" + driver.url())
                .withUserConfiguration(JavaBeanPoolsConfiguration.class)
                .run((context) -> {
                    assertThat(context.getBean("reportsPool", PoolDataSource.class).getName()).isEqualTo("reportsPool");
                    assertThat(context.getBean("namedPool", PoolDataSource.class).getName()).isEqualTo("audit");
                    assertThat(context.getBean("userPool", PoolDataSource.class).getName()).isEqualTo("pool");
                });
    }

    private static FailureAnalysis startupFailureAnalysis(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(PoolConfigException.class);
        FailureAnalysis analysis = new PoolConfigFailureAnalyzer().analyze(context.getStartupFailure());
        assertThat(analysis).isNotNull();
        return analysis;
    }

    @Configuration(proxyBeanMethods = false)
    static class UserDataSourceConfiguration {

        @Bean
        DataSource userDataSource() {
            return new StubDriver().dataSource();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserPoolConfiguration {

        @Bean(destroyMethod = "close")
        PoolDataSource userPool() {
            PoolConfig config = new PoolConfig();
            config.setDataSource(new StubDriver().dataSource());
            return new PoolDataSource(config);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class JavaBeanPoolsConfiguration {

        @Bean(destroyMethod = "close", defaultCandidate = false)
        PoolDataSource reportsPool() {
            return new PoolDataSource();
        }

        @Bean(destroyMethod = "close", defaultCandidate = false)
        PoolDataSource namedPool() {
            PoolDataSource pool = new PoolDataSource();
            pool.setName("audit");
            return pool;
        }

        /** Built from a config: started at once, and keeps the name it has. */
        @Bean(destroyMethod = "close", defaultCandidate = false)
        PoolDataSource userPool() {
            PoolConfig config = new PoolConfig();
            config.setDataSource(new StubDriver().dataSource());
            return new PoolDataSource(config);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CredentialsProviderConfiguration {

        static final AtomicInteger asked = new AtomicInteger();

        @Bean
        CredentialsProvider rotatingCredentials() {
            asked.set(0);
            return () -> {
                asked.incrementAndGet();
                return new Credentials("rotating-user", "rotating-secret");
            };
        }
    }

    /** What a service connection (Testcontainers, Docker Compose) contributes. */
    @Configuration(proxyBeanMethods = false)
    static class ServiceConnectionConfiguration {

        static final String URL = "jdbc:h2:mem:service-connection;DB_CLOSE_DELAY=-1";

        @Bean
        JdbcConnectionDetails serviceConnectionDetails() {
            return new JdbcConnectionDetails() {

                @Override
                public String getUsername() {
                    return "service";
                }

                @Override
                public String getPassword() {
                    return "service-secret";
                }

                @Override
                public String getJdbcUrl() {
                    return URL;
                }
            };
        }
    }
}
