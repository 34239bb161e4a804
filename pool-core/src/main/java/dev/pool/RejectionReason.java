package dev.pool;

/**
 * Why the pool failed a {@code getConnection()} at once instead of letting it wait (SPEC "Overload
 * protection"). One enum serves the pool, its metrics ({@code reason} tag) and the actuator endpoint;
 * {@link #tag()} is the name all of them show.
 */
public enum RejectionReason {
    /** {@code max-pending} callers were waiting already. */
    QUEUE_FULL("queue-full"),
    /** Early rejection: the queue ahead and recent hold times say the caller's wait would run out first. */
    PREDICTED_TIMEOUT("predicted-timeout"),
    /** Every connection is held by a thread that is itself waiting for another one from this pool. */
    DEADLOCK("deadlock");

    private final String tag;

    RejectionReason(String tag) {
        this.tag = tag;
    }

    /** The kebab-case name used in metrics, logs and the endpoint. */
    public String tag() {
        return tag;
    }
}
