package dev.pool;

/** Where a pool is in its life. */
public enum PoolState {
    /** Lending connections. */
    RUNNING,
    /** Borrowers wait (within their timeout) until {@code resume()}; nothing is lost. */
    SUSPENDED,
    /** Closed for good: {@code getConnection()} fails. */
    CLOSED
}
