package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pool.test.EmbeddedPostgresExtension;
import dev.pool.test.OtherThread;
import dev.pool.test.SimulatedWork;
import dev.pool.test.TestDatabase;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pool's JFR events against a real PostgreSQL, read back with a {@link RecordingStream} as a
 * recording sees them: names, fields and real durations (each at least as long as what the test
 * made it last).
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class JfrEventsPostgresTest {

    private static final List<String> EVENTS = List.of("dev.pool.ConnectionAcquire", "dev.pool.AcquireTimeout",
            "dev.pool.ConnectionLease", "dev.pool.ConnectionOpen", "dev.pool.ConnectionClose");

    private final TestDatabase db;
    private final List<PoolDataSource> pools = new ArrayList<>();
    private final BlockingQueue<RecordedEvent> events = new LinkedBlockingQueue<>();
    private RecordingStream stream;

    JfrEventsPostgresTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void record() {
        stream = new RecordingStream();
        stream.setReuse(false); // the events are kept after the handler returns
        for (String name : EVENTS) {
            stream.enable(name).withThreshold(Duration.ZERO);
            stream.onEvent(name, events::add);
        }
        stream.startAsync();
    }

    @AfterEach
    void stop() {
        pools.forEach(PoolDataSource::close);
        stream.close();
    }

    private PoolDataSource pool(String name, Consumer<PoolConfig> settings) {
        PoolConfig config = new PoolConfig();
        config.setName(name);
        config.setUrl(db.jdbcUrl());
        config.setUsername(db.username());
        config.setPassword(db.password());
        settings.accept(config);
        PoolDataSource pool = new PoolDataSource(config);
        pools.add(pool);
        return pool;
    }

    /** The next event of {@code type} from {@code pool}, waiting up to 10 s for the stream's flush. */
    private RecordedEvent next(String type, String pool) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<RecordedEvent> others = new ArrayList<>();
        try {
            for (;;) {
                RecordedEvent event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (event == null) {
                    throw new AssertionError("no " + type + " event of pool '" + pool + "' within 10 s; saw " + others);
                }
                if (event.getEventType().getName().equals(type) && pool.equals(event.getString("pool"))) {
                    return event;
                }
                others.add(event);
            }
        } finally {
            events.addAll(others); // left for later questions, in their order after the ones still queued
        }
    }

    @Test
    void leaseEventLastsTheHoldAndNamesTheBorrowingSite() throws Exception {
        PoolDataSource pool = pool("jfr-lease", c -> c.setInitialSize(1));
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_sleep(0.05)");
        }

        RecordedEvent lease = next("dev.pool.ConnectionLease", "jfr-lease");
        assertThat(lease.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(lease.getString("site"))
                .startsWith(getClass().getName() + ".leaseEventLastsTheHoldAndNamesTheBorrowingSite(JfrEventsPostgresTest.java:");
        assertThat(lease.getStackTrace()).isNull();
    }

    @Test
    void openAndCloseEventsTimeThePhysicalConnectAndCloseWithTheReason() throws Exception {
        PoolDataSource pool = pool("jfr-open-close", c -> c.setInitialSize(1));

        RecordedEvent open = next("dev.pool.ConnectionOpen", "jfr-open-close");
        assertThat(open.getBoolean("success")).isTrue();
        assertThat(open.getDuration()).isPositive();

        pool.evictIdle();
        RecordedEvent close = next("dev.pool.ConnectionClose", "jfr-open-close");
        assertThat(close.getString("reason")).isEqualTo("manual");
        assertThat(close.getDuration()).isPositive();

        pool.getConnection().close(); // a new one, closed with the pool
        pool.close();
        assertThat(next("dev.pool.ConnectionClose", "jfr-open-close").getString("reason")).isEqualTo("shutdown");
    }

    @Test
    void acquireEventLastsTheWaitWithItsOutcome() throws Exception {
        PoolDataSource pool = pool("jfr-acquire", c -> {
            c.setMaxSize(1);
            c.setInitialSize(1);
        });
        Connection held = pool.getConnection();
        Borrower waiter = Borrower.parked(pool, c -> { });
        SimulatedWork.lasting(Duration.ofMillis(20)); // the wait lasts at least this long: what the event's duration must show
        held.close();
        waiter.join();

        RecordedEvent acquire = next("dev.pool.ConnectionAcquire", "jfr-acquire");
        assertThat(acquire.getString("outcome")).isEqualTo("success");
        assertThat(acquire.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(20));
        assertThat(acquire.getThread().getJavaName()).isEqualTo("borrower");
        assertThat(acquire.getString("site")).startsWith(Borrower.class.getName() + ".");
    }

    @Test
    void timeoutRecordsTheWaitAsTimedOutAndAnAcquireTimeoutWithThePoolsState() throws Exception {
        PoolDataSource pool = pool("jfr-timeout", c -> {
            c.setMaxSize(1);
            c.setInitialSize(1);
            c.setConnectionWaitTimeout(Duration.ofMillis(200));
        });
        try (Connection held = pool.getConnection()) {
            // asked on another thread: on this one, which holds the only connection, it would be a pool deadlock
            assertThatThrownBy(() -> OtherThread.getConnection(pool)).isInstanceOf(SQLTransientConnectionException.class);
        }

        // the events begin a few microseconds after the pool starts the clock on the 200 ms wait
        Duration waitedAtLeast = Duration.ofMillis(199);
        RecordedEvent acquire = next("dev.pool.ConnectionAcquire", "jfr-timeout");
        assertThat(acquire.getString("outcome")).isEqualTo("timeout");
        assertThat(acquire.getDuration()).isGreaterThanOrEqualTo(waitedAtLeast);
        RecordedEvent timeout = next("dev.pool.AcquireTimeout", "jfr-timeout");
        assertThat(timeout.getDuration()).isGreaterThanOrEqualTo(waitedAtLeast);
        assertThat(timeout.getInt("active")).isEqualTo(1);
        assertThat(timeout.getInt("idle")).isZero();
        assertThat(timeout.getInt("pending")).isEqualTo(1);
        assertThat(timeout.getInt("maxSize")).isEqualTo(1);
        assertThat(timeout.getString("site")).startsWith(OtherThread.class.getName() + ".");
    }
}
