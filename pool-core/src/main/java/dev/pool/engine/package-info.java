/**
 * The engine: how the pool lends, takes back, opens and retires connections. Internal: two types
 * are public, {@link dev.pool.engine.ConnectionPool} (what {@code PoolDataSource} fronts) and
 * {@link dev.pool.engine.Clock} (the time seam tests replace); everything else is package-private.
 * The JDBC handles in {@code dev.pool.jdbc} see a pooled connection only as a
 * {@link dev.pool.jdbc.LentConnection}. Users touch {@code dev.pool} alone.
 *
 * <p>Where each job lives: {@code ConnectionPool} (the lending cycle, wiring),
 * {@code ConnectionBag} (the lock-free hand-off), {@code PooledConnection} (one connection's state
 * machine), {@code ConnectionSupply} (opening, slots, backoff, warm-up), {@code RetirementPolicy}
 * (when to close), {@code Retirement} (closing), {@code Validator}, {@code Housekeeper} (timed work),
 * {@code PrimaryRoleGuard} (connections that reach a standby), {@code Shutdown}, {@code PoolView}
 * (snapshots), {@code Events} (counters, listeners), {@code JfrEvents} (the JDK Flight Recorder
 * events, with {@code CallSite} naming a lease's borrower).
 */
package dev.pool.engine;
