/**
 * The JDBC objects a borrower holds. {@link dev.pool.jdbc.ConnectionHandle} is one lease on a pooled
 * connection, which it sees only as a {@link dev.pool.jdbc.LentConnection} (the engine extends
 * it); statements, result sets and metadata obtained through it are wrapped too, so the pool sees
 * every use, closes what the borrower forgot, and never lets the raw connection escape.
 *
 * <p>Each {@code *Delegate} class is generated plumbing ({@code tools/GenerateDelegates.java}); the
 * {@code *Handle} classes and {@link dev.pool.jdbc.TrackedStatement} hold the behaviour.
 */
package dev.pool.jdbc;
