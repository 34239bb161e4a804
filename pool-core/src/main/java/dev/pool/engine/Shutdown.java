package dev.pool.engine;

import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the pool, once, in this order:
 * <ol>
 *   <li>the pool is CLOSED: borrowers fail at once, waiting ones are woken with the error, and the
 *       bag hands every entry offered to it from now on to retirement, so no path (a return, a
 *       waiter giving back what it had just claimed, a validation, a late connect, a resume racing
 *       the close) can leave a connection idle in a closed pool;</li>
 *   <li>connects not yet started are cancelled and the timer stops (those running are not waited
 *       for: what they open is retired as it arrives);</li>
 *   <li>idle connections are retired;</li>
 *   <li>borrowed connections are waited for, up to {@code shutdown-timeout}: each is retired as it is
 *       returned, and close goes on once the last has been closed, not later;</li>
 *   <li>past the timeout, every connection still borrowed has its lease ended and is closed on this
 *       thread (its borrower's next call fails), and any idle one left is retired;</li>
 *   <li>the worker threads stop, after the closes in flight have finished (a while).</li>
 * </ol>
 */
final class Shutdown {

    private static final Logger log = LoggerFactory.getLogger(Shutdown.class);

    private final String poolName;
    private final Lifecycle lifecycle;
    private final ConnectionBag bag;
    private final ConnectionSupply supply;
    private final Retirement retirement;
    private final Scheduler scheduler;
    private final Workers workers;

    Shutdown(String poolName, Lifecycle lifecycle, ConnectionBag bag, ConnectionSupply supply, Retirement retirement,
             Scheduler scheduler, Workers workers) {
        this.poolName = poolName;
        this.lifecycle = lifecycle;
        this.bag = bag;
        this.supply = supply;
        this.retirement = retirement;
        this.scheduler = scheduler;
        this.workers = workers;
    }

    /** Closes the pool, waiting up to {@code timeout} for borrowed connections. Idempotent. */
    void close(Duration timeout) {
        if (!lifecycle.close()) {
            return;
        }
        bag.close(new SQLException("Pool '" + poolName + "' was closed while waiting for a connection", "08003"),
                entry -> retirement.retire(entry, null));
        supply.stopConnecting();
        scheduler.stop();
        long deadline = System.nanoTime() + timeout.toNanos();
        retirement.retireIdle(null);
        if (!supply.awaitConnectionsReleased(deadline)) {
            forceClose();
        }
        workers.shutdown();
        log.info("Pool '{}' closed", poolName);
    }

    private void forceClose() {
        int forced = 0;
        for (PooledConnection entry : bag.entries()) {
            long w = entry.word();
            if (PooledConnection.stateOf(w) == PooledConnection.BORROWED && entry.endLease(w)) {
                retirement.closeNow(entry);
                forced++;
            } else if (entry.tryReserve()) {
                retirement.retire(entry, null);
            }
        }
        if (forced > 0) {
            log.warn("Pool '{}' closed {} connection(s) still borrowed after shutdown-timeout", poolName, forced);
        }
    }
}
