package dev.pool;

/** Where a pool is in its life. */
public enum PoolState {
    /** Lending connections. */
    RUNNING,
    /**
     * Borrowers wait (within their timeout) until {@code resume()}; nothing is lost and no
     * connection is opened. Also the state of a pool emptied by {@code quiesce}.
     */
    SUSPENDED,
    /** Closed for good: {@code getConnection()} fails. */
    CLOSED
}
