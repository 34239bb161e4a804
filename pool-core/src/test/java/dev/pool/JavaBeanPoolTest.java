package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pool.test.StubDriver;
import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A pool built as a JavaBean (no-arg constructor, setters), as Spring Boot's
 * {@code DataSourceBuilder} and {@code @ConfigurationProperties} build one: it starts on its first
 * {@code getConnection()}, once, and refuses setting changes after that.
 */
class JavaBeanPoolTest {

    private StubDriver driver;
    private final List<PoolDataSource> pools = new ArrayList<>();

    @BeforeEach
    void registerDriver() throws SQLException {
        driver = new StubDriver().register();
    }

    @AfterEach
    void closePools() {
        driver.releaseConnects();
        pools.forEach(PoolDataSource::close);
        driver.deregister();
    }

    private PoolDataSource bean() {
        PoolDataSource pool = new PoolDataSource();
        pool.setName("bean");
        pool.setUrl(driver.url());
        pool.setShutdownTimeout(Duration.ZERO);
        pools.add(pool);
        return pool;
    }

    @Test
    void startsOnItsFirstGetConnectionWithTheSettingsGiven() throws SQLException {
        PoolDataSource pool = bean();
        pool.setUsername("app");
        pool.setPassword("secret");
        pool.setMaxSize(3);
        pool.setInitialSize(2);

        assertThat(driver.connectAttempts()).isZero();
        assertThat(pool.isStarted()).isFalse();
        assertThat(pool.state()).isEqualTo(PoolState.RUNNING);
        assertThat(pool.stats().total()).isZero();

        try (Connection connection = pool.getConnection()) {
            assertThat(connection.isValid(1)).isTrue();
        }
        assertThat(pool.isStarted()).isTrue();
        assertThat(pool.stats().maxSize()).isEqualTo(3);
        assertThat(pool.stats().created()).isEqualTo(2);
        assertThat(driver.attempts()).allSatisfy((attempt) -> assertThat(attempt.user()).isEqualTo("app"));
    }

    @Test
    void beforeItStartsReportsTheSettingsAndNothingOpen() {
        PoolDataSource pool = bean();
        pool.setMaxSize(7);
        pool.setMinSize(2);
        pool.setMinIdle(1);

        PoolStats stats = pool.stats();
        assertThat(stats.maxSize()).isEqualTo(7);
        assertThat(stats.minSize()).isEqualTo(2);
        assertThat(List.of(stats.active(), stats.idle(), stats.total(), stats.pending())).containsOnly(0);
        assertThat(stats.evictions()).containsOnlyKeys(EvictionReason.values()).doesNotContainValue(1L);
        assertThat(pool.getMaxSize()).isEqualTo(7);
        assertThat(pool.getMinIdle()).isEqualTo(1);
        assertThat(pool.getName()).isEqualTo("bean");
        assertThat(pool.connections()).isEmpty();
        assertThat((Object) pool.getLastConnectError()).isNull();
        assertThat(pool.isClosed()).isFalse();
        pool.evictIdle();
        pool.evictAll();
        assertThat(driver.connectAttempts()).isZero();
    }

    /** Many first borrowers at once: one engine, so initial-size connections are opened once. */
    @RepeatedTest(30)
    void concurrentFirstBorrowersStartThePoolOnce() throws Exception {
        PoolDataSource pool = bean();
        pool.setMaxSize(4);
        pool.setInitialSize(4);
        int borrowers = 12;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(borrowers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < borrowers; i++) {
                done.add(threads.submit(() -> {
                    go.await();
                    try (Connection connection = pool.getConnection()) {
                        return connection.isValid(1);
                    }
                }));
            }
            go.countDown();
            for (Future<?> borrow : done) {
                assertThat(borrow.get(30, TimeUnit.SECONDS)).isEqualTo(true);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(driver.successfulConnects()).isEqualTo(4);
        assertThat(pool.stats().borrowed()).isEqualTo(borrowers);
        assertThat(pool.stats().total()).isEqualTo(4);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settersWithSampleValues")
    void everySettingRefusesToChangeOnceStarted(String property, PropertyDescriptor descriptor, Object value)
            throws Exception {
        PoolDataSource pool = bean();
        pool.getConnection().close();
        Object before = descriptor.getReadMethod().invoke(pool);

        assertThatThrownBy(() -> invoke(descriptor.getWriteMethod(), pool, value))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Pool 'bean' has started")
                .hasMessageContaining("setting " + property + " ")
                .hasMessageContaining("resize");
        assertThat(descriptor.getReadMethod().invoke(pool)).isEqualTo(before);
        assertThat(pool.state()).isEqualTo(PoolState.RUNNING);
    }

    @Test
    void sizesStillChangeAtRunTimeThroughResize() throws SQLException {
        PoolDataSource pool = bean();
        pool.getConnection().close();

        pool.resize(0, 3);

        assertThat(pool.getMaxSize()).isEqualTo(3);
        assertThat(pool.stats().maxSize()).isEqualTo(3);
    }

    @Test
    void resizeBeforeTheFirstBorrowStartsThePool() {
        PoolDataSource pool = bean();

        pool.resize(1, 3);

        assertThat(pool.getMaxSize()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().idle() == 1);
        assertThatThrownBy(() -> pool.setMaxSize(5)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void quiesceBeforeTheFirstBorrowHasNothingToEmptyAndLeavesThePoolUnstarted() throws SQLException {
        PoolDataSource pool = bean();
        pool.setInitialSize(2);
        pool.setMinIdle(1);

        assertThat(pool.quiesce(Duration.ofMinutes(1))).isTrue();

        assertThat(pool.isStarted()).isFalse();
        assertThat(driver.connectAttempts()).isZero();
        try (Connection connection = pool.getConnection()) {
            assertThat(connection.isValid(1)).isTrue();
        }
        assertThat(pool.state()).isEqualTo(PoolState.RUNNING);
    }

    /** The JavaBean view must not fall behind PoolConfig: a property added there needs its accessors here. */
    @Test
    void everyPoolConfigPropertyIsAPropertyOfThePoolToo() throws Exception {
        Map<String, PropertyDescriptor> poolProperties = properties(PoolDataSource.class);
        for (PropertyDescriptor configProperty : properties(PoolConfig.class).values()) {
            if (configProperty.getWriteMethod() == null) {
                continue;
            }
            PropertyDescriptor poolProperty = poolProperties.get(configProperty.getName());
            assertThat(poolProperty).as("PoolDataSource property %s", configProperty.getName()).isNotNull();
            assertThat(poolProperty.getPropertyType()).isEqualTo(configProperty.getPropertyType());
            assertThat(poolProperty.getReadMethod()).as("getter of %s", configProperty.getName()).isNotNull();
            assertThat(poolProperty.getWriteMethod()).as("setter of %s", configProperty.getName()).isNotNull();

            PoolDataSource pool = new PoolDataSource();
            Object value = sampleValue(configProperty.getPropertyType());
            poolProperty.getWriteMethod().invoke(pool, value);
            assertThat(poolProperty.getReadMethod().invoke(pool)).as(configProperty.getName()).isEqualTo(value);
            assertThat(configProperty.getReadMethod().invoke(pool.getConfig())).as(configProperty.getName()).isEqualTo(value);
        }
    }

    @Test
    void aPoolClosedBeforeItStartedNeverStarts() {
        PoolDataSource pool = bean();

        pool.close();

        assertThat(pool.isClosed()).isTrue();
        assertThat(pool.state()).isEqualTo(PoolState.CLOSED);
        assertThatThrownBy(pool::getConnection).isInstanceOfSatisfying(SQLException.class,
                (e) -> assertThat(e.getSQLState()).isEqualTo("08003")).hasMessageContaining("closed");
        assertThatThrownBy(() -> pool.setMaxSize(3)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        pool.close();
        assertThat(driver.connectAttempts()).isZero();
    }

    @Test
    void anInvalidSettingFailsTheFirstBorrowNamingTheProperty() throws SQLException {
        PoolDataSource pool = bean();
        pool.setMinSize(5);
        pool.setMaxSize(2);

        assertThatThrownBy(pool::getConnection).isInstanceOfSatisfying(PoolConfigException.class,
                (e) -> assertThat(e.property()).isEqualTo("pool.min-size"));

        pool.setMinSize(0);
        try (Connection connection = pool.getConnection()) {
            assertThat(connection.isValid(1)).isTrue();
        }
    }

    @Test
    void aStartThatCannotConnectFailsThatBorrowAndTheNextOneTriesAgain() throws SQLException {
        PoolDataSource pool = bean();
        pool.setInitialSize(1);
        pool.setConnectTimeout(Duration.ofSeconds(5));
        driver.failConnects("08001");

        assertThatThrownBy(pool::getConnection).isInstanceOfSatisfying(SQLException.class,
                (e) -> assertThat(e.getSQLState()).isEqualTo("08001")).hasMessageContaining("initial connection");
        assertThat(pool.isClosed()).isFalse();

        driver.clearConnectFailure();
        try (Connection connection = pool.getConnection()) {
            assertThat(connection.isValid(1)).isTrue();
        }
        assertThat(pool.stats().created()).isEqualTo(1);
    }

    @Test
    void listenersAddedBeforeTheStartHearThePool() throws SQLException {
        PoolDataSource pool = bean();
        AtomicInteger created = new AtomicInteger();
        List<String> heard = new CopyOnWriteArrayList<>();
        PoolListener removed = new PoolListener() {
            @Override
            public void connectionCreated(long nanos) {
                heard.add("removed");
            }
        };
        pool.addListener(new PoolListener() {
            @Override
            public void connectionCreated(long nanos) {
                created.incrementAndGet();
            }
        });
        pool.addListener(removed);
        pool.removeListener(removed);

        pool.getConnection().close();

        assertThat(created).hasValue(1);
        assertThat(heard).isEmpty();
    }

    @Test
    void theDataSourcePropertiesAreReadOnlyOnceStarted() throws SQLException {
        PoolDataSource pool = bean();
        pool.getDataSourceProperties().put("ApplicationName", "bean");
        pool.getConnection().close();

        assertThat(pool.getConfig().getDataSourceProperties()).containsEntry("ApplicationName", "bean");
        assertThatThrownBy(() -> pool.getDataSourceProperties().put("other", "x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    static Stream<Object[]> settersWithSampleValues() throws IntrospectionException {
        return properties(PoolDataSource.class).values().stream()
                .filter((property) -> property.getWriteMethod() != null)
                // the DataSource contract's own setters, not settings of the pool
                .filter((property) -> !List.of("logWriter", "loginTimeout").contains(property.getName()))
                .map((property) -> new Object[] { property.getName(), property,
                        sampleValue(property.getPropertyType()) });
    }

    private static Map<String, PropertyDescriptor> properties(Class<?> type) throws IntrospectionException {
        Map<String, PropertyDescriptor> properties = new TreeMap<>();
        Arrays.stream(Introspector.getBeanInfo(type, Object.class).getPropertyDescriptors())
                .forEach((property) -> properties.put(property.getName(), property));
        return properties;
    }

    private static Object sampleValue(Class<?> type) {
        if (type == int.class || type == Integer.class) {
            return 3;
        }
        if (type == boolean.class || type == Boolean.class) {
            return true;
        }
        if (type == String.class) {
            return "sample";
        }
        if (type == Duration.class) {
            return Duration.ofSeconds(7);
        }
        if (type == Map.class) {
            return Map.of("sample", "value");
        }
        if (type == IsolationLevel.class) {
            return IsolationLevel.SERIALIZABLE;
        }
        if (type == DataSource.class) {
            return new StubDriver().dataSource();
        }
        if (type == CredentialsProvider.class) {
            return (CredentialsProvider) () -> new Credentials("sample", "secret");
        }
        throw new IllegalArgumentException("No sample value for " + type);
    }

    private static void invoke(Method setter, Object target, Object value) throws Throwable {
        try {
            setter.invoke(target, value);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
