package dev.pool;

/**
 * What a returned connection needed before it could be lent again: each one a borrower left behind
 * (an open transaction, a changed setting, a statement it forgot to close), so counting them makes
 * application bugs visible. One enum serves the pool ({@link PoolStats#resets()}), its metrics
 * ({@code pool.connections.resets}, tag {@code what}) and the endpoint; {@link #tag()} is the name
 * all of them show. A return counts each kind at most once.
 */
public enum Reset {
    /** A transaction was open (or failed) and was rolled back. Where the driver cannot say (not PostgreSQL), every return with auto-commit off counts. */
    ROLLBACK("rollback"),
    /** Auto-commit was left at another value than the pool's. */
    AUTO_COMMIT("auto-commit"),
    /** Read-only was left changed. */
    READ_ONLY("read-only"),
    /** The transaction isolation was left changed. */
    ISOLATION("isolation"),
    /** The catalog was left changed. */
    CATALOG("catalog"),
    /** The schema was left changed. */
    SCHEMA("schema"),
    /** Statements were left open, and the pool closed them. */
    STATEMENTS("statements");

    private final String tag;

    Reset(String tag) {
        this.tag = tag;
    }

    /** The kebab-case name used in metrics and the endpoint. */
    public String tag() {
        return tag;
    }
}
