/**
 * The engine: how the pool lends, takes back, opens and retires connections. Internal: classes
 * are public only where the JDBC wrappers in {@code dev.pool.jdbc} need them; users touch
 * {@code dev.pool} alone.
 */
package dev.pool.engine;
