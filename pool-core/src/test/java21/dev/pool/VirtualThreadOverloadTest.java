package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pool.test.EmbeddedPostgresExtension;
import dev.pool.test.InvariantChecker;
import dev.pool.test.TestClock;
import dev.pool.test.TestDatabase;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@link Overload} scenario on virtual threads, with JFR watching for pinning: a virtual thread
 * that blocks while it cannot unmount from its carrier ({@code jdk.VirtualThreadPinned}, recorded
 * here at every duration, not only past JFR's default 20 ms) holds one of the few carriers, and
 * enough of them stall every virtual thread in the JVM.
 *
 * <p>Lives in {@code src/test/java21}: the {@code jdk21-tests} profile of {@code pool-core/pom.xml}
 * compiles and runs it when Maven runs on JDK 21 or newer, e.g.
 * {@code JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ./mvnw -pl pool-core test -Dtest=VirtualThreadOverloadTest}.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class VirtualThreadOverloadTest {

    @Test
    void thousandVirtualCallersAreServedFairlyAndNoneIsPinned(TestDatabase db) throws Exception {
        String applicationName = "pool-overload-virtual";
        TestClock clock = new TestClock();
        Queue<String> pinned = new ConcurrentLinkedQueue<>();
        try (RecordingStream jfr = new RecordingStream();
                PoolDataSource pool = Overload.pool(db, "overload-virtual", applicationName, clock);
                InvariantChecker checker = Overload.checker(pool, db, applicationName)) {
            warmUp(checker);
            jfr.enable("jdk.VirtualThreadPinned").withoutThreshold().withStackTrace();
            jfr.onEvent("jdk.VirtualThreadPinned", event -> pinned.add(describe(event)));
            jfr.startAsync();

            Overload.Result result = Overload.run(pool, checker, Thread.ofVirtual().name("overload-virtual-", 0).factory());
            jfr.stop(); // flushes: every event recorded so far has been delivered when this returns
            System.out.println("overload on virtual threads (JDK " + Runtime.version() + "): " + result + "; "
                    + pinned.size() + " pinned event(s); " + checker);

            assertThat(pinned).as("virtual threads pinned to their carrier").isEmpty();
            Overload.assertHeld(result, pool, checker, db, applicationName, clock);
            pool.close();
            checker.assertClosedCleanly(Duration.ofSeconds(10));
        }
    }

    /**
     * Runs each path of the scenario once on virtual threads before recording: borrowing through
     * the checker, a query, a return, and a wait that times out. A virtual thread that is the first
     * to load or link a class, or waits for the JDK to initialise its socket poller on the first
     * socket wait, is reported as pinned; those are one-time costs of the JVM, not what the test
     * looks for, which is a virtual thread pinned while it waits in the pool or the driver.
     */
    private static void warmUp(InvariantChecker checker) throws Exception {
        CountDownLatch allHeld = new CountDownLatch(Overload.MAX_SIZE);
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> holders = new ArrayList<>();
            for (int i = 0; i < Overload.MAX_SIZE; i++) {
                holders.add(executor.submit(() -> {
                    Connection c = checker.borrow();
                    try (Statement s = c.createStatement()) {
                        s.execute("select pg_sleep(0.01)");
                        allHeld.countDown();
                        release.await();
                    } finally {
                        checker.giveBack(c);
                    }
                    return null;
                }));
            }
            assertThat(allHeld.await(30, TimeUnit.SECONDS)).isTrue();
            Future<?> timeout = executor.submit(() -> {
                assertThatThrownBy(checker::borrow).isInstanceOf(SQLTransientConnectionException.class);
                return null;
            });
            timeout.get(30, TimeUnit.SECONDS);
            release.countDown();
            for (Future<?> holder : holders) {
                holder.get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static String describe(RecordedEvent event) {
        List<RecordedFrame> frames = event.getStackTrace() == null ? List.of() : event.getStackTrace().getFrames();
        String reason = event.hasField("pinnedReason") ? " (" + event.getValue("pinnedReason") + ")" : "";
        return event.getDuration().toMillis() + " ms" + reason + " at " + frames.stream()
                .map(f -> f.getMethod().getType().getName() + "." + f.getMethod().getName() + ":" + f.getLineNumber())
                .collect(Collectors.joining(" <- "));
    }
}
