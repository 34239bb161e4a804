package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A connection never sits idle while someone waits: a waiter that a return woke but that leaves
 * without taking the connection (interrupted, or timed out at that moment) passes the wake-up on.
 * The waiter behind it here parked while returns were handed out in order (starving mode), so it
 * sleeps until its own timeout, 60 s, unless it is woken.
 */
class WakeUpTest {

    @RegisterExtension
    final StubPools pools = new StubPools();

    @Test
    void aWokenWaiterThatIsInterruptedPassesTheWakeUpOn() throws Exception {
        for (int round = 0; round < 20; round++) {
            PoolDataSource pool = pools.create(c -> {
                c.setMaxSize(2);
                c.setConnectionWaitTimeout(Duration.ofSeconds(60));
            });
            Connection first = pool.getConnection();
            Connection second = pool.getConnection();

            CountDownLatch finish = new CountDownLatch(1);
            Borrower starving = Borrower.parked(pool, c -> finish.await()); // its wait begins starving mode
            Borrower woken = Borrower.parked(pool, c -> { });
            Borrower behind = Borrower.parked(pool, c -> { });
            first.close(); // handed to the oldest waiter, which ends starving mode: returns go idle again

            await().atMost(Duration.ofSeconds(5)).until(() -> !pool.servesInOrder());
            second.close(); // wakes `woken`...
            woken.interrupt(); // ...which leaves before it looks: `behind` must be woken instead

            await("round " + round + ": the waiter behind the interrupted one").atMost(Duration.ofSeconds(10)).until(behind::isDone);
            behind.join();
            finish.countDown();
            starving.join();
            pool.close();
        }
    }
}
