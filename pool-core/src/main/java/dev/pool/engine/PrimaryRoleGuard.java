package dev.pool.engine;

import dev.pool.EvictionReason;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary-role guard: a pool in front of a PostgreSQL primary stops lending connections to a
 * server that has become a standby. After a failover the old primary comes back as a standby, and a
 * DNS name, a virtual IP or a multi-host URL without {@code targetServerType=primary} may still lead
 * to it for a while; a pool that keeps those connections fails every write on them with SQLState
 * {@code 25006} until they age out (HikariCP: until {@code maxLifetime}).
 *
 * <p><b>How.</b> Where {@link SqlStates} classifies a driver error, a {@code 25006} ("read-only SQL
 * transaction") marks the connection <i>role in doubt</i> ({@link PooledConnection#doubtRole}). The
 * flag shares a volatile word with {@code broken}, which the pool reads once on every return anyway,
 * so the lending cycle pays nothing until a connection is flagged. When a flagged connection comes
 * back, the pool hands it here ({@link #takeBack}) instead of lending it on; on the upkeep lane,
 * bounded by {@code validation-timeout}, the guard asks that connection {@code pg_is_in_recovery()}:
 * <ul>
 *   <li>{@code false}: the server is a primary and the {@code 25006} came from a read-only
 *       transaction ({@code SET TRANSACTION READ ONLY}, {@code pool.read-only},
 *       {@code default_transaction_read_only}): the connection goes back as after any return;</li>
 *   <li>{@code true}: a standby. The connection is closed (eviction reason {@code read-only}) and
 *       every other open connection is put in doubt: idle ones are taken out and asked now, borrowed
 *       ones when they come back, and each on a standby is closed the same way. Replacements are
 *       opened per the URL ({@code targetServerType=primary}, or the name once it has moved);</li>
 *   <li>no answer: a connection-class failure closes it as {@code broken}; any other failure puts it
 *       back, and a server without {@code pg_is_in_recovery()} turns the guard off for the pool.</li>
 * </ul>
 *
 * <p><b>New connections after a standby.</b> While the URL still leads to the standby, each
 * replacement would reach it again, fail its first write and be replaced in turn: one new connection
 * and one failed write per write attempted. So once a standby has been found, each new connection is
 * asked too ({@link #admit}) before it is lent: one on a standby is closed and counts as a failed
 * connect, so the supply's backoff spaces the next attempts (one at a time, 50 ms doubling to
 * 250 ms) and borrowers wait for a writable connection instead of failing on a standby. The first new
 * connection that reaches a primary ends this; until a standby is found again, new connections are
 * not asked.
 *
 * <p><b>"The same server".</b> SPEC says every idle connection to the same server is closed. The
 * guard asks every connection instead of recognising servers: a standby built from a base backup has
 * the primary's system identifier, and behind PgBouncer, HAProxy, a virtual IP or a name that moves
 * every connection has the same address whichever server it reached. What matters is whether a
 * connection can write, which is what {@code pg_is_in_recovery()} answers: at most one round trip
 * per open connection, on the workers, once a standby is seen. {@code 25006} is a standard SQLState
 * (HSQLDB and others raise it for read-only transactions), so the guard reads the driver's product
 * name on the first one and does nothing for a database other than PostgreSQL.
 */
final class PrimaryRoleGuard {

    /** What the pool does with an entry the guard asked and found on a primary (or could not ask). */
    @FunctionalInterface
    interface PutBack {
        /** As after a return: kept idle, lent on, or retired by the usual rules. */
        void putBack(PooledConnection entry);
    }

    private static final Logger log = LoggerFactory.getLogger(PrimaryRoleGuard.class);
    private static final String IN_RECOVERY = "select pg_is_in_recovery()";
    /** "undefined function": the server is not PostgreSQL, whatever its driver says. */
    private static final String UNDEFINED_FUNCTION = "42883";
    /** A switchover finds a standby once per returned connection: warn once per this period, not each time. */
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Executor DIRECT = Runnable::run;

    private static final int UNKNOWN = 0;
    private static final int ON = 1;
    private static final int OFF = 2;

    private enum Role { PRIMARY, STANDBY, BROKEN, UNKNOWN }

    private final String poolName;
    private final ConnectionBag bag;
    private final Workers workers;
    private final ConnectionSupply supply;
    private final Retirement retirement;
    private final PutBack putBack;
    private final int timeoutMillis;
    /** Whether the guard acts: off by configuration, else UNKNOWN until the first 25006, then ON or OFF for good. */
    private volatile int applies;
    /** A standby was found and no new connection has reached a primary since: new connections are asked. */
    private volatile boolean standbySeen;
    private final AtomicLong lastWarnedAt = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);

    PrimaryRoleGuard(String poolName, boolean enabled, Duration validationTimeout, ConnectionBag bag, Workers workers,
                     ConnectionSupply supply, Retirement retirement, PutBack putBack) {
        this.poolName = poolName;
        this.applies = enabled ? UNKNOWN : OFF;
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, validationTimeout.toMillis()));
        this.bag = bag;
        this.workers = workers;
        this.supply = supply;
        this.retirement = retirement;
        this.putBack = putBack;
    }

    // ---- returned connections ------------------------------------------------------------------

    /**
     * A connection whose role is in doubt came back (the pool owns it, cleaned, not broken). Returns
     * true if the guard took it: its server is asked on a worker, which puts it back or retires it.
     * False: the pool goes on as after any return (the guard is off, or the pool is closing).
     */
    boolean takeBack(PooledConnection entry) {
        entry.clearDoubt();
        return applies(entry.raw) && ask(entry, true);
    }

    /** Asks on the upkeep lane; false if no worker takes the task (the pool is closing). */
    private boolean ask(PooledConnection entry, boolean returned) {
        supply.validationStarted(); // out for a check, coming back: the supply opens nothing in its place meanwhile
        try {
            workers.upkeep(() -> {
                try {
                    decide(entry, returned);
                } finally {
                    supply.validationEnded();
                }
            });
            return true;
        } catch (RejectedExecutionException closing) {
            supply.validationEnded();
            return false;
        }
    }

    private void decide(PooledConnection entry, boolean returned) {
        switch (roleOf(entry.raw)) {
            case STANDBY -> {
                if (returned) {
                    standbySeen = true; // before the sweep looks at the entries: see admit()
                    doubtEveryConnection();
                }
                retirement.retire(entry, EvictionReason.READ_ONLY); // counted after the sweep has looked at every entry
            }
            case BROKEN -> retirement.retire(entry, EvictionReason.BROKEN);
            default -> putBack.putBack(entry);
        }
    }

    /**
     * A standby was found: every idle connection is taken out and asked, every other open one
     * (borrowed, or in the pool's hands) when it next comes back, or, if it is a new one not yet in
     * circulation, before it is ({@link #admit}). One returned between the two looks here is caught
     * by the second; one whose return had read its flags just before this set them keeps the flag
     * and is asked when it comes back from its next lease.
     */
    private void doubtEveryConnection() {
        List<PooledConnection> idle = new ArrayList<>();
        int later = 0;
        for (PooledConnection entry : bag.entries()) {
            if (entry.tryReserve()) {
                idle.add(entry);
            } else if (entry.state() != PooledConnection.CLOSED) {
                entry.doubtRole();
                if (entry.tryReserve()) { // it came back between the two looks, flag and all
                    entry.clearDoubt();
                    idle.add(entry);
                } else {
                    later++;
                }
            }
        }
        for (PooledConnection entry : idle) { // every idle one is out of reach before any is asked
            if (!ask(entry, false)) {
                retirement.retire(entry, null); // the pool is closing
            }
        }
        long t = System.nanoTime();
        long last = lastWarnedAt.get();
        if (t - last >= WARN_INTERVAL_NANOS && lastWarnedAt.compareAndSet(last, t)) {
            log.warn("Pool '{}': a connection's server is a standby (SQLState 25006, then pg_is_in_recovery() = true); "
                    + "closing it, checking {} idle connection(s) now and {} other(s) when returned; new connections are checked "
                    + "until one reaches a primary (use targetServerType=primary with several hosts)", poolName, idle.size(), later);
        } else {
            log.debug("Pool '{}': another connection to a standby; checking {} idle, {} when returned", poolName, idle.size(), later);
        }
    }

    // ---- new connections -----------------------------------------------------------------------

    /**
     * Asks a new connection's server before it goes into circulation, while a standby has been found
     * and no new connection has reached a primary since, or if a sweep flagged it; otherwise does
     * nothing. Runs on the connect lane, after the entry is in the bag and before it is offered: a
     * sweep that set {@code standbySeen} after the look here has seen the entry and flagged it.
     *
     * @throws SQLException if the connection reached a standby (SQLState 25006) or broke when asked:
     *                      the caller closes it and the supply counts a failed connect
     */
    void admit(PooledConnection entry) throws SQLException {
        if (!standbySeen && (entry.trouble() & PooledConnection.ROLE_IN_DOUBT) == 0) {
            return;
        }
        entry.clearDoubt();
        switch (roleOf(entry.raw)) {
            case PRIMARY -> {
                if (standbySeen) {
                    standbySeen = false;
                    log.info("Pool '{}': new connections reach a primary again", poolName);
                }
            }
            case STANDBY -> throw new SQLException("Pool '" + poolName + "': a new connection reached a standby "
                    + "(pg_is_in_recovery() = true) as earlier ones did; it was closed before being lent, and the pool tries "
                    + "again with backoff until a connection reaches a primary (the URL decides where new connections go; "
                    + "a pool meant for a replica needs primary-role-guard=false)",
                    SqlStates.READ_ONLY_TRANSACTION);
            case BROKEN -> throw new SQLException("Pool '" + poolName + "': a new connection failed when asked whether its "
                    + "server is a primary (a standby was found before)", "08001");
            default -> {
                // the question failed but the connection works: let it in; a write on a standby is caught as before
            }
        }
    }

    // ---- asking the server ---------------------------------------------------------------------

    /** {@code pg_is_in_recovery()} on this connection, bounded by {@code validation-timeout}. */
    private Role roleOf(Connection raw) {
        try {
            int previousTimeout = raw.getNetworkTimeout();
            raw.setNetworkTimeout(DIRECT, timeoutMillis); // bounds the read even if the server never answers
            try (Statement statement = raw.createStatement()) {
                statement.setQueryTimeout((timeoutMillis + 999) / 1000);
                boolean inRecovery;
                try (ResultSet result = statement.executeQuery(IN_RECOVERY)) {
                    inRecovery = result.next() && result.getBoolean(1);
                }
                if (!raw.getAutoCommit()) {
                    raw.rollback(); // the check opened a transaction; no borrower inherits it
                }
                return inRecovery ? Role.STANDBY : Role.PRIMARY;
            } finally {
                raw.setNetworkTimeout(DIRECT, previousTimeout);
            }
        } catch (SQLException e) {
            if (SqlStates.meansConnectionLost(e) || isClosed(raw)) {
                return Role.BROKEN;
            }
            if (UNDEFINED_FUNCTION.equals(e.getSQLState())) {
                applies = OFF;
                standbySeen = false;
                log.info("Pool '{}': the database has no pg_is_in_recovery(); the primary-role guard is off", poolName);
            } else {
                log.debug("Pool '{}' could not ask a connection's server for its role", poolName, e);
            }
            return rolledBack(raw) ? Role.UNKNOWN : Role.BROKEN;
        } catch (RuntimeException e) {
            log.debug("Pool '{}' could not ask a connection's server for its role", poolName, e);
            return isClosed(raw) ? Role.BROKEN : Role.UNKNOWN;
        }
    }

    /** On, and PostgreSQL by the driver's product name (read once, on the first 25006 this pool sees). */
    private boolean applies(Connection raw) {
        int known = applies;
        if (known == UNKNOWN) {
            try {
                known = "PostgreSQL".equalsIgnoreCase(raw.getMetaData().getDatabaseProductName()) ? ON : OFF;
            } catch (SQLException | RuntimeException e) {
                return false; // ask again on the next 25006
            }
            applies = known;
            if (known == OFF) {
                log.debug("Pool '{}': SQLState 25006 on a database other than PostgreSQL; the primary-role guard stands aside",
                        poolName);
            }
        }
        return known == ON;
    }

    private static boolean isClosed(Connection raw) {
        try {
            return raw.isClosed();
        } catch (SQLException | RuntimeException e) {
            return true;
        }
    }

    /** Ends the transaction the failed check may have left open; false if that failed too (do not lend it). */
    private static boolean rolledBack(Connection raw) {
        try {
            if (!raw.getAutoCommit()) {
                raw.rollback();
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }
}
