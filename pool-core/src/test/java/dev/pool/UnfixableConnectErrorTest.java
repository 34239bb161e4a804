package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pool.test.ConnectRecorder;
import dev.pool.test.EmbeddedPostgresExtension;
import dev.pool.test.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.util.PSQLException;

/**
 * Connects that fail in a way no retry fixes (SQLState class 28, a wrong password; 3D000, no such
 * database), on a real PostgreSQL that asks for the password: every caller waiting for that connect
 * fails at once with the driver's error as the cause, not after {@code connection-wait-timeout}
 * (30 s, the default, in every test here), and once the cause is fixed the next caller connects.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class UnfixableConnectErrorTest {

    private static final String ROLE = "pool_unfixable";
    /**
     * How long a caller may take to fail: far below the 30 s wait timeout, far above a connect and
     * the backoff between attempts (250 ms at most), so only a caller left waiting for its timeout
     * can miss it.
     */
    private static final long PROMPTLY_SECONDS = 10;
    private static final int WAITERS = 24;
    private static final int ROUNDS = 5;

    @RegisterExtension
    final StubPools stubPools = new StubPools();

    private final TestDatabase db;
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private String password;

    UnfixableConnectErrorTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void passwordRole() {
        Assumptions.assumeTrue(db.canRestart(), "edits the embedded server's pg_hba.conf and creates databases");
        password = "pw-" + UUID.randomUUID();
        db.createPasswordRole(ROLE, password);
    }

    @AfterEach
    void cleanUp() throws Exception {
        threads.shutdownNow();
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private PoolDataSource pool(Consumer<PoolConfig> settings) {
        PoolConfig config = new PoolConfig();
        config.setName("unfixable");
        config.setUrl(db.jdbcUrl());
        config.setUsername(ROLE);
        settings.accept(config);
        PoolDataSource pool = new PoolDataSource(config);
        cleanup.add(pool);
        return pool;
    }

    /** The caller failed because of the driver's error with this SQLState, and not by timing out. */
    private static void failsWith(ThrowingCallable call, String sqlState) {
        assertThatThrownBy(call).isInstanceOf(SQLNonTransientConnectionException.class)
                .hasMessageContaining("cannot connect")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(sqlState))
                .cause().isInstanceOf(PSQLException.class)
                .satisfies(cause -> assertThat(((SQLException) cause).getSQLState()).isEqualTo(sqlState));
    }

    /** {@code WAITERS} callers at once, {@code ROUNDS} times: each fails promptly with the driver's error. */
    private void everyWaiterFails(PoolDataSource pool, String sqlState) throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Connection>> callers = new ArrayList<>();
            for (int i = 0; i < WAITERS; i++) {
                callers.add(threads.submit(() -> {
                    start.await();
                    return pool.getConnection();
                }));
            }
            start.countDown();
            for (Future<Connection> caller : callers) {
                // get() throws TimeoutException for a caller left waiting for its wait timeout
                failsWith(() -> unwrap(caller, PROMPTLY_SECONDS), sqlState);
            }
            PoolStats stats = pool.stats();
            assertThat(stats.pending()).isZero();
            assertThat(stats.timeouts()).isZero();
            assertThat(stats.total()).isZero();
        }
    }

    private static Connection unwrap(Future<Connection> caller, long seconds) throws Throwable {
        try {
            return caller.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause();
        }
    }

    private static String currentUser(Connection c) throws SQLException {
        return CredentialsProviderTest.currentUser(c);
    }

    @Test
    void aWrongPasswordFailsTheCallerAtOnceWithTheDriversError() throws Exception {
        PoolDataSource pool = pool(c -> c.setPassword("wrong-" + password));

        long start = System.nanoTime();
        failsWith(pool::getConnection, "28P01");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(PROMPTLY_SECONDS));
        assertThat(pool.getLastConnectError().getSQLState()).as("what health shows").isEqualTo("28P01");
        assertThat(pool.stats().timeouts()).isZero();
    }

    @Test
    void everyWaiterFailsWithTheDriversErrorAndAFixedPasswordIsPickedUp() throws Exception {
        String poolPassword = "pw-" + UUID.randomUUID();
        PoolDataSource pool = pool(c -> c.setPassword(poolPassword));

        everyWaiterFails(pool, "28P01");

        db.setPassword(ROLE, poolPassword); // the operator fixes the server's side
        try (Connection c = pool.getConnection()) {
            assertThat(currentUser(c)).isEqualTo(ROLE);
        }
        assertThat((Object) pool.getLastConnectError()).isNull();
    }

    @Test
    void aFixedCredentialsProviderIsPickedUpByTheNextCaller() throws Exception {
        CredentialsProviderTest.RotatingCredentials credentials =
                new CredentialsProviderTest.RotatingCredentials(ROLE, "wrong-" + password);
        PoolDataSource pool = pool(c -> c.setCredentialsProvider(credentials));

        everyWaiterFails(pool, "28P01");

        credentials.password = password;
        try (Connection c = pool.getConnection()) {
            assertThat(currentUser(c)).isEqualTo(ROLE);
        }
    }

    @Test
    void aDatabaseThatDoesNotExistFailsEveryWaiterAtOnceUntilItIsCreated() throws Exception {
        String database = "pool_missing_" + UUID.randomUUID().toString().replace("-", "");
        PoolDataSource pool = pool(c -> {
            c.setUrl(db.jdbcUrl().replaceFirst("/postgres(\\?|$)", "/" + database + "$1"));
            c.setUsername(db.username());
            c.setPassword(db.password());
        });

        everyWaiterFails(pool, "3D000");

        try (Connection admin = db.unpooledDataSource().getConnection(); Statement s = admin.createStatement()) {
            s.execute("create database " + database);
        }
        cleanup.add(0, () -> {
            try (Connection admin = db.unpooledDataSource().getConnection(); Statement s = admin.createStatement()) {
                s.execute("drop database if exists " + database + " with (force)");
            }
        });
        try (Connection c = pool.getConnection()) {
            assertThat(c.getCatalog()).isEqualTo(database);
        }
    }

    @Test
    void waitersKeepWaitingWhileAConnectionCouldStillBeReturnedToThem() throws Exception {
        PoolDataSource pool = pool(c -> c.setPassword(password));
        ConnectRecorder connects = new ConnectRecorder();
        pool.addListener(connects);
        Connection held = pool.getConnection();
        long since = System.nanoTime();
        db.setPassword(ROLE, "pw-" + UUID.randomUUID()); // new connects fail from now on

        Future<String> waiter = threads.submit(() -> {
            try (Connection c = pool.getConnection()) {
                return currentUser(c);
            }
        });

        // two failed connects for it: the pool has decided about the first and kept the caller waiting
        assertThat(connects.awaitFailures(2, since, Duration.ofSeconds(30))).isTrue();
        assertThat(connects.lastError().getSQLState()).isEqualTo("28P01");
        assertThat(waiter).isNotDone();
        held.close();
        assertThat(waiter.get(PROMPTLY_SECONDS, TimeUnit.SECONDS)).isEqualTo(ROLE);
    }

    @Test
    void onlyTheCallersQueuedBeforeTheFailedConnectBeganFail() throws Exception {
        PoolDataSource pool = stubPools.create(c -> c.setMaxSize(1));
        stubPools.driver.holdConnects();
        stubPools.driver.failNextConnects(1, "28P01");

        Future<Connection> first = threads.submit(() -> pool.getConnection());
        awaitTrue(() -> stubPools.driver.waitingConnects() == 1); // its connect has begun
        Future<Connection> later = threads.submit(() -> pool.getConnection());
        awaitTrue(() -> pool.stats().pending() == 2);
        stubPools.driver.releaseConnects();

        assertThatThrownBy(() -> unwrap(first, PROMPTLY_SECONDS)).isInstanceOf(SQLNonTransientConnectionException.class)
                .cause().satisfies(cause -> assertThat(((SQLException) cause).getSQLState()).isEqualTo("28P01"));
        try (Connection c = later.get(PROMPTLY_SECONDS, TimeUnit.SECONDS)) {
            assertThat(c.isValid(1)).isTrue(); // the later caller's own connect, after the backoff, succeeded
        }
        assertThat(stubPools.driver.connectAttempts()).isEqualTo(2);
    }

    private static void awaitTrue(Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(10)).until(condition);
    }
}
