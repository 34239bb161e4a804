package dev.pool;

/**
 * How a {@code getConnection()} that had to wait ended. One enum serves the listeners
 * ({@link PoolListener.Wait}), the JFR event {@code dev.pool.ConnectionAcquire} and the Micrometer
 * observation {@code pool.connection.acquire}; {@link #tag()} is the name all of them show.
 */
public enum AcquireOutcome {
    /** It was lent a connection. */
    SUCCESS("success"),
    /** It gave up at {@code connection-wait-timeout}. */
    TIMEOUT("timeout"),
    /** The pool refused to let it wait on (see {@link RejectionReason}): its queue was full, the wait would have run out first, or a deadlock. */
    REJECTED("rejected"),
    /** It failed otherwise: the pool closed, a connect failed in a way no retry fixes, the thread was interrupted. */
    FAILURE("failure");

    private final String tag;

    AcquireOutcome(String tag) {
        this.tag = tag;
    }

    /** The lower-case name used in events, observations and logs. */
    public String tag() {
        return tag;
    }
}
