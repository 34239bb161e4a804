package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pool.test.StubConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code close()} racing the pool's own traffic: borrowers claiming, returning and waiting, a
 * {@code resume()}, a borrow halfway through. Each race runs many times. Whatever the interleaving,
 * close must end with every physical connection closed, and must not wait out
 * {@code shutdown-timeout} (60 s here) for a connection nobody holds.
 */
class ShutdownTest {

    /** Far longer than any bounded wait below: a close that waits it out fails the test. */
    private static final Duration NEVER = Duration.ofSeconds(60);
    private static final long BOUND_SECONDS = 20;

    @RegisterExtension
    final StubPools pools = new StubPools();

    @Test
    void closeUnderLoadClosesEveryConnectionOnceTheBorrowersHaveReturned() throws Exception {
        for (int round = 0; round < 60; round++) {
            PoolDataSource pool = pools.create(c -> {
                c.setMaxSize(3);
                c.setShutdownTimeout(NEVER);
            });
            int borrowers = 12;
            CountDownLatch running = new CountDownLatch(borrowers);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < borrowers; i++) {
                threads.add(start("borrower-" + i, () -> {
                    boolean counted = false;
                    for (;;) {
                        try (Connection c = pool.getConnection()) {
                            c.isValid(0);
                        } catch (SQLException closed) {
                            return;
                        }
                        if (!counted) {
                            running.countDown();
                            counted = true;
                        }
                    }
                }));
            }
            assertThat(running.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
            Thread closer = start("closer", pool::close);
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
                assertThat(t.isAlive()).as("borrower still running after close").isFalse();
            }
            closer.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
            assertThat(closer.isAlive()).as("round %d: close() still waiting although every borrower has returned", round).isFalse();
            assertThat(pool.stats().total()).as("round %d: connections left in the closed pool", round).isZero();
            assertThat(pools.driver.openConnections()).as("round %d: physical connections left open", round).isZero();
        }
    }

    @Test
    void resumeRacingCloseNeitherLendsAgainNorLeavesAConnectionOpen() throws Exception {
        for (int round = 0; round < 300; round++) {
            PoolDataSource pool = pools.create(c -> {
                c.setInitialSize(2);
                c.setMaxSize(2);
                c.setShutdownTimeout(NEVER);
            });
            pool.suspend();
            List<Thread> waiters = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                waiters.add(start("waiter-" + i, () -> {
                    try (Connection c = pool.getConnection()) {
                        c.isValid(0);
                    } catch (SQLException closed) {
                        // the pool closed first
                    }
                }));
            }
            CyclicBarrier together = new CyclicBarrier(2);
            Thread resumer = start("resumer", () -> {
                await(together);
                pool.resume();
            });
            Thread closer = start("closer", () -> {
                await(together);
                pool.close();
            });
            resumer.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
            for (Thread t : waiters) {
                t.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
                assertThat(t.isAlive()).isFalse();
            }
            closer.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
            assertThat(closer.isAlive()).as("round %d: close() waiting for an idle connection", round).isFalse();
            assertThatThrownBy(pool::getConnection).as("round %d: a closed pool lent a connection", round)
                    .isInstanceOf(SQLException.class).hasMessageContaining("closed");
            assertThat(pool.stats().total()).as("round %d", round).isZero();
            assertThat(pools.driver.openConnections()).as("round %d: physical connections left open", round).isZero();
        }
    }

    /**
     * A borrow whose lease a forced close (shutdown-timeout 0) ends before {@code getConnection()}
     * has built its handle must get a dead handle, never one that passes the lease check on the
     * closed connection's state word. The listener holds the borrower between claim and return.
     */
    @Test
    void aBorrowThatAForcedCloseOvertakesGetsAClosedHandle() throws Exception {
        PoolDataSource pool = pools.create(c -> {
            c.setInitialSize(1);
            c.setMaxSize(1);
        });
        CountDownLatch claimed = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        pool.addListener(new PoolListener() {
            @Override
            public void connectionAcquired(long nanos, boolean waited) {
                claimed.countDown();
                try {
                    closed.await(BOUND_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        AtomicReference<Connection> handle = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread borrower = start("borrower", () -> {
            try {
                handle.set(pool.getConnection());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        assertThat(claimed.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        pool.close(); // shutdown-timeout 0: ends the lease at once
        closed.countDown();
        borrower.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));

        Connection c = handle.get();
        if (c == null) {
            assertThat(failure.get()).isInstanceOf(SQLException.class);
            return;
        }
        assertThat(c.isClosed()).as("the handle of a lease the close ended").isTrue();
        assertThatThrownBy(c::createStatement).isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08003");
        c.close();
        assertThat(pool.stats().total()).isZero();
        assertThat(pools.driver.connection(0).closeCount()).isEqualTo(1);
        assertThat(pools.driver.openConnections()).isZero();
    }

    @Test
    void closeWithShutdownTimeoutZeroClosesBorrowedAndIdleConnectionsAtOnce() throws SQLException {
        PoolDataSource pool = pools.create(c -> {
            c.setInitialSize(3);
            c.setMaxSize(3);
        });
        Connection held = pool.getConnection();
        StubConnection physical = held.unwrap(StubConnection.class);
        pool.close();
        assertThat(physical.isClosed()).isTrue();
        assertThat(held.isClosed()).isTrue();
        assertThat(pools.driver.openConnections()).isZero();
        held.close();
        assertThat(physical.closeCount()).isEqualTo(1);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
