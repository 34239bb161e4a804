package dev.pool.micrometer;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pool.PoolConfig;
import dev.pool.PoolDataSource;
import dev.pool.test.OtherThread;
import dev.pool.test.StubDriver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PoolObservationsTest {

    private final StubDriver driver = new StubDriver();
    private final TestObservationRegistry registry = TestObservationRegistry.create();
    private final List<PoolDataSource> pools = new ArrayList<>();

    @AfterEach
    void closePools() {
        driver.releaseConnects();
        pools.forEach(PoolDataSource::close);
    }

    @Test
    void borrowThatFindsAnIdleConnectionIsNotObserved() throws Exception {
        PoolDataSource pool = pool(c -> c.setInitialSize(1));

        pool.getConnection().close();

        assertThat(registry).doesNotHaveAnyObservation();
    }

    @Test
    void waitThatIsServedIsObservedAsSuccessUnderTheCallersObservation() throws Exception {
        PoolDataSource pool = pool(c -> {
            c.setName("orders");
            c.setMaxSize(1);
            c.setInitialSize(1);
        });
        Connection held = pool.getConnection();
        Observation request = Observation.start("http.server.requests", registry);
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
            try (Observation.Scope scope = request.openScope(); Connection c = pool.getConnection()) {
                // lent after waiting
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().pending() == 1);

        held.close();
        waiter.get(5, TimeUnit.SECONDS);
        request.stop();

        assertThat(registry).hasNumberOfObservationsWithNameEqualTo(PoolObservations.NAME, 1)
                .hasObservationWithNameEqualTo(PoolObservations.NAME).that()
                .hasBeenStarted()
                .hasBeenStopped()
                .hasContextualNameEqualTo("pool acquire")
                .hasLowCardinalityKeyValue("pool", "orders")
                .hasLowCardinalityKeyValue("outcome", "success")
                .doesNotHaveError()
                .hasParentObservationEqualTo(request);
    }

    @Test
    void waitThatTimesOutIsObservedAsTimeoutWithTheCallersError() throws Exception {
        PoolDataSource pool = pool(c -> {
            c.setMaxSize(1);
            c.setInitialSize(1);
            c.setConnectionWaitTimeout(Duration.ofMillis(50));
        });

        try (Connection held = pool.getConnection()) {
            assertThatThrownBy(() -> OtherThread.getConnection(pool)).isInstanceOf(SQLTransientConnectionException.class);
        }

        assertThat(registry).hasObservationWithNameEqualTo(PoolObservations.NAME).that()
                .hasBeenStopped()
                .hasLowCardinalityKeyValue("outcome", "timeout")
                .assertThatError().isInstanceOf(SQLTransientConnectionException.class)
                .hasMessageContaining("no connection available within 50 ms");
    }

    @Test
    void waitThatAdmissionControlRefusesIsObservedAsRejected() throws Exception {
        PoolDataSource pool = pool(c -> {
            c.setMaxSize(1);
            c.setInitialSize(1);
            c.setMaxPending(1);
        });
        Connection held = pool.getConnection();
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
            try (Connection c = pool.getConnection()) {
                // lent after waiting
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().pending() == 1);

        assertThatThrownBy(pool::getConnection).isInstanceOf(SQLTransientConnectionException.class)
                .hasMessageContaining("queue full");
        held.close();
        waiter.get(5, TimeUnit.SECONDS);

        assertThat(registry).hasNumberOfObservationsWithNameEqualTo(PoolObservations.NAME, 2)
                .hasAnObservation(o -> o.hasLowCardinalityKeyValue("outcome", "rejected").hasError())
                .hasAnObservation(o -> o.hasLowCardinalityKeyValue("outcome", "success").doesNotHaveError());
    }

    @Test
    void waitThatFailsOtherwiseIsObservedAsFailure() throws Exception {
        PoolDataSource pool = pool(c -> {
            c.setMaxSize(1);
            c.setInitialSize(1);
        });
        Connection held = pool.getConnection();
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
            try (Connection c = pool.getConnection()) {
                // never lent: the pool closes first
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().pending() == 1);

        pool.close();
        assertThatThrownBy(() -> waiter.get(5, TimeUnit.SECONDS)).hasRootCauseInstanceOf(java.sql.SQLException.class);
        held.close();

        assertThat(registry).hasObservationWithNameEqualTo(PoolObservations.NAME).that()
                .hasBeenStopped()
                .hasLowCardinalityKeyValue("outcome", "failure")
                .hasError();
    }

    private PoolDataSource pool(Consumer<PoolConfig> settings) {
        PoolConfig config = new PoolConfig();
        config.setName("test");
        config.setDataSource(driver.dataSource());
        config.setShutdownTimeout(Duration.ZERO);
        settings.accept(config);
        PoolDataSource pool = new PoolDataSource(config);
        pool.addListener(new PoolObservations(pool.getName(), registry));
        pools.add(pool);
        return pool;
    }
}
