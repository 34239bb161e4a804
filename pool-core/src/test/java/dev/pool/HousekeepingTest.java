package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pool.engine.Clock;
import dev.pool.test.TestClock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The housekeeper's scheduled passes, not the ones a test runs by hand. */
class HousekeepingTest {

    @RegisterExtension
    final StubPools pools = new StubPools();

    /**
     * An {@link Error} in one pass (here from the clock; in life a {@code NoClassDefFoundError}, a
     * {@code StackOverflowError}) must not end housekeeping: eviction, leak detection and the coarse
     * clock all depend on the next pass.
     */
    @Test
    void anErrorInOnePassDoesNotStopTheNext() throws InterruptedException {
        TestClock time = new TestClock();
        AtomicBoolean armed = new AtomicBoolean();
        CountDownLatch thrown = new CountDownLatch(1);
        Clock clock = () -> {
            if (Thread.currentThread().getName().endsWith("-housekeeper") && armed.compareAndSet(true, false)) {
                thrown.countDown();
                throw new AssertionError("a pass fails");
            }
            return time.nanoTime();
        };
        PoolConfig config = pools.config(c -> {
            c.setInitialSize(2);
            c.setMaxIdleTime(Duration.ofMinutes(10));
        });
        try (PoolDataSource pool = new PoolDataSource(config, clock)) {
            armed.set(true);
            assertThat(thrown.await(10, TimeUnit.SECONDS)).isTrue();
            time.advance(Duration.ofMinutes(11));
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().total() == 0);
            assertThat(pool.stats().evictions()).containsEntry(EvictionReason.IDLE_TIME, 2L);
        }
    }
}
