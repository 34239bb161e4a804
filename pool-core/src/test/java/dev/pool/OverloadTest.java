package dev.pool;

import dev.pool.test.EmbeddedPostgresExtension;
import dev.pool.test.InvariantChecker;
import dev.pool.test.TestClock;
import dev.pool.test.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@value Overload#CALLERS} platform threads on a pool of {@value Overload#MAX_SIZE}: see
 * {@link Overload} for the scenario and what must hold. The same on virtual threads is
 * {@code VirtualThreadOverloadTest} in {@code src/test/java21}, compiled and run on JDK 21 and newer.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class OverloadTest {

    @Test
    void thousandCallersOnTenConnectionsAreServedFairlyWithinTheWaitTimeoutAndNothingLeaks(TestDatabase db) throws Exception {
        String applicationName = "pool-overload-platform";
        TestClock clock = new TestClock();
        try (PoolDataSource pool = Overload.pool(db, "overload-platform", applicationName, clock);
                InvariantChecker checker = Overload.checker(pool, db, applicationName)) {
            Overload.Result result = Overload.run(pool, checker, Thread::new);
            System.out.println("overload on platform threads: " + result + "; " + checker);

            Overload.assertHeld(result, pool, checker, db, applicationName, clock);
            pool.close();
            checker.assertClosedCleanly(Duration.ofSeconds(10));
        }
    }
}
