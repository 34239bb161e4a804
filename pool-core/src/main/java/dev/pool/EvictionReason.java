package dev.pool;

/**
 * Why the pool closed a connection. One enum serves the pool, its metrics ({@code reason} tag) and
 * the actuator endpoint; {@link #tag()} is the name all of them show.
 */
public enum EvictionReason {
    /** Idle longer than {@code max-idle-time}. */
    IDLE_TIME("idle-time"),
    /** Older than {@code max-reuse-time}. */
    REUSE_TIME("reuse-time"),
    /** Borrowed {@code max-reuse-count} times. */
    REUSE_COUNT("reuse-count"),
    /** Returned while {@code max-idle} connections were already idle. */
    MAX_IDLE("max-idle"),
    /** Borrowed and unused for longer than {@code abandoned-connection-timeout}. */
    ABANDONED("abandoned"),
    /** Failed validation or raised a connection-class SQLState. */
    BROKEN("broken"),
    /** Closed by {@code evictIdle()}, {@code evictAll()} or a {@code resize()} below the current size. */
    MANUAL("manual"),
    /**
     * Its server is a standby: a write failed with SQLState {@code 25006} and the server answered
     * {@code pg_is_in_recovery() = true} (PostgreSQL; after a failover, or a name that leads to a
     * replica). See {@code primary-role-guard}.
     */
    READ_ONLY("read-only");

    private final String tag;

    EvictionReason(String tag) {
        this.tag = tag;
    }

    /** The kebab-case name used in metrics, logs and the endpoint. */
    public String tag() {
        return tag;
    }
}
