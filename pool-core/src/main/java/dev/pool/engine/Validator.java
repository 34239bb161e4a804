package dev.pool.engine;

import dev.pool.EvictionReason;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks idle connections the pool is unsure of, off the borrower's thread: one unused longer than
 * {@code validation-interval} that a borrower was about to get, and one unchecked for
 * {@code keepalive-interval}. The entry is reserved, validated on the upkeep lane (bounded by
 * {@code validation-timeout}), then put back into circulation or retired as broken. While it is out,
 * the supply counts it as on its way back, so it does not open a connection to replace it.
 */
final class Validator {

    private static final Logger log = LoggerFactory.getLogger(Validator.class);

    private final String poolName;
    private final Connector connector;
    private final CoarseClock time;
    private final ConnectionBag bag;
    private final Retirement retirement;
    private final ConnectionSupply supply;
    private final Workers workers;

    Validator(String poolName, Connector connector, CoarseClock time, ConnectionBag bag, Retirement retirement,
              ConnectionSupply supply, Workers workers) {
        this.poolName = poolName;
        this.connector = connector;
        this.time = time;
        this.bag = bag;
        this.retirement = retirement;
        this.supply = supply;
        this.workers = workers;
    }

    /** Validates an entry the caller owns on a worker, then offers it or retires it as broken. */
    void validateLater(PooledConnection entry) {
        supply.validationStarted();
        try {
            workers.upkeep(() -> {
                try {
                    validate(entry);
                } finally {
                    supply.validationEnded();
                }
            });
        } catch (RejectedExecutionException closing) {
            supply.validationEnded();
            retirement.retire(entry, null);
        }
    }

    private void validate(PooledConnection entry) {
        if (connector.isValid(entry.raw)) {
            entry.lastValidatedAt = time.exact();
            bag.offer(entry);
        } else {
            log.debug("Pool '{}' closes a connection that failed validation", poolName);
            retirement.retire(entry, EvictionReason.BROKEN);
        }
    }
}
