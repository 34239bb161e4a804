package dev.pool;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows which read replicas may take reads now: one that answers and whose replay lag is at most
 * {@code maxLag}. A timer thread ({@code pool-replica-monitor}) starts a check of every replica each
 * {@code interval}; the checks run on their own threads, so a replica that hangs delays no other.
 * A replica is usable only after a check passed; it stops being usable when a check fails, when a
 * check has run longer than {@code checkTimeout} (a replica that hangs), or when the
 * {@link ReplicaRoutingDataSource} could not borrow from it ({@link #markUnreachable}), or when a
 * connection of its pool broke or a connect to it failed (heard as the pool's {@link PoolListener}).
 * The last one matters most: when a replica goes away, the first read that fails on it takes it out
 * of use at once and its idle connections, dead too, are closed, so no later read is lent one of them;
 * only reads already running there fail. It is back in use once a check passes.
 *
 * <p>A check borrows a connection from the replica's own pool (its credentials, driver settings and
 * init SQL; no extra server session) and asks PostgreSQL:
 * <pre>{@code
 * CASE WHEN NOT pg_is_in_recovery() THEN 0
 *      WHEN pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0
 *      ELSE extract(epoch from now() - pg_last_xact_replay_timestamp()) END
 * }</pre>
 * The lag is the age of the last replayed transaction, but only while WAL is received and not yet
 * replayed: a standby of an idle primary has nothing to replay, and its last replayed transaction
 * may be hours old, yet it misses nothing. When WAL waits, the age of the last replayed commit is
 * how far the replica's data is behind the primary's (an upper bound: right after a long idle
 * period the first write makes it look far behind until it is replayed, a few milliseconds later;
 * skipping it for that long costs nothing). {@code pg_stat_replication} on the primary would be
 * exact but needs a privileged connection to the primary. A replica no longer in recovery
 * (promoted) has no lag. A null lag (no transaction replayed yet while WAL waits) counts as too
 * much. {@code <=}, not {@code =}: a standby that restarts streams again from the start of the WAL
 * segment it stopped in, so until new WAL arrives what it has received is behind what it has
 * replayed; with {@code =} it would look unknown, and be skipped, until the primary next commits.
 * A standby not streaming at all (a null received position) is judged by its last replayed commit
 * alone. The query is PostgreSQL's; on another database every check fails and reads stay on the primary.
 */
public final class ReplicaMonitor implements AutoCloseable {

    /** The lag in seconds of a PostgreSQL standby, 0 on a primary. */
    public static final String LAG_QUERY = "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
            + " WHEN pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0"
            + " ELSE extract(epoch from now() - pg_last_xact_replay_timestamp()) END";

    private static final Logger log = LoggerFactory.getLogger(ReplicaMonitor.class);
    private static final AtomicInteger instances = new AtomicInteger();

    private final List<Replica> replicas = new ArrayList<>();
    private final Duration maxLag;
    private final long checkTimeoutNanos;
    private final ScheduledExecutorService timer;
    private final ExecutorService checks;
    /** Set by {@link #close()}: a check still running then changes nothing. */
    private volatile boolean closed;

    /**
     * Starts checking at once.
     *
     * @param maxLag the most replay lag a usable replica may have; {@code 0}: lag is not checked
     * @param interval how often each replica is checked
     * @param checkTimeout a check running longer marks its replica unusable
     */
    public ReplicaMonitor(List<PoolDataSource> replicas, Duration maxLag, Duration interval, Duration checkTimeout) {
        Objects.requireNonNull(replicas, "replicas");
        if (maxLag == null || maxLag.isNegative()) {
            throw new PoolConfigException("pool.replica-max-lag", maxLag, "must not be negative (use 0 to disable)");
        }
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, was " + interval);
        }
        if (checkTimeout == null || checkTimeout.isNegative() || checkTimeout.isZero()) {
            throw new IllegalArgumentException("checkTimeout must be positive, was " + checkTimeout);
        }
        this.maxLag = maxLag;
        this.checkTimeoutNanos = checkTimeout.toNanos();
        int id = instances.incrementAndGet();
        AtomicInteger checkThreads = new AtomicInteger();
        timer = Executors.newSingleThreadScheduledExecutor(task -> daemon(task, "pool-replica-monitor-" + id));
        checks = Executors.newCachedThreadPool(
                task -> daemon(task, "pool-replica-check-" + id + "-" + checkThreads.incrementAndGet()));
        for (PoolDataSource pool : replicas) {
            Replica replica = new Replica(pool);
            this.replicas.add(replica);
            pool.addListener(replica.breakage);
        }
        timer.scheduleWithFixedDelay(this::checkAll, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** The replicas that may take reads now, in the order given. */
    public List<PoolDataSource> usableReplicas() {
        List<PoolDataSource> usable = new ArrayList<>(replicas.size());
        for (Replica replica : replicas) {
            if (replica.usable) {
                usable.add(replica.pool);
            }
        }
        return usable;
    }

    /** Whether {@code pool}, one of the replicas, may take reads now. */
    public boolean isUsable(PoolDataSource pool) {
        for (Replica replica : replicas) {
            if (replica.pool == pool) {
                return replica.usable;
            }
        }
        return false;
    }

    /** Why {@code pool}, one of the replicas, is not usable now; null while it is (or if it is none of them). */
    public String unusableReason(PoolDataSource pool) {
        for (Replica replica : replicas) {
            if (replica.pool == pool) {
                return replica.usable ? null : replica.reason;
            }
        }
        return null;
    }

    /** Every replica, usable or not, in the order given. */
    public List<PoolDataSource> replicas() {
        List<PoolDataSource> all = new ArrayList<>(replicas.size());
        for (Replica replica : replicas) {
            all.add(replica.pool);
        }
        return all;
    }

    /** Takes {@code pool} out of use until its next check passes: borrowing from it just failed. */
    public void markUnreachable(PoolDataSource pool, SQLException cause) {
        for (Replica replica : replicas) {
            if (replica.pool == pool) {
                replica.broke("could not borrow: " + cause.getMessage());
            }
        }
    }

    /** Closes the replica's idle connections on a check thread, not on the borrower's that reported the failure. */
    private void evictIdleLater(Replica replica) {
        try {
            checks.execute(replica.pool::evictIdle);
        } catch (RejectedExecutionException closed) {
            // closing: the pool closes with its owner
        }
    }

    private void checkAll() {
        long now = System.nanoTime();
        for (Replica replica : replicas) {
            long started = replica.checkStartedNanos;
            if (started != 0) {
                if (now - started > checkTimeoutNanos) {
                    replica.unusable("no answer to the replica check within " + Duration.ofNanos(checkTimeoutNanos));
                }
                continue; // one check at a time per replica
            }
            replica.checkStartedNanos = now == 0 ? 1 : now;
            try {
                checks.execute(() -> check(replica));
            } catch (RejectedExecutionException closed) {
                return;
            }
        }
    }

    private void check(Replica replica) {
        try (Connection connection = replica.pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toSeconds(checkTimeoutNanos)));
            try (ResultSet result = statement.executeQuery(LAG_QUERY)) {
                result.next();
                double lagSeconds = result.getDouble(1);
                boolean unknown = result.wasNull();
                if (unknown) {
                    replica.unusable("replay lag unknown (no transaction replayed yet)");
                } else if (!maxLag.isZero() && lagSeconds * 1_000_000_000d > maxLag.toNanos()) {
                    replica.unusable("replay lag " + Duration.ofMillis((long) (lagSeconds * 1000))
                            + " exceeds pool.replica-max-lag " + maxLag);
                } else {
                    replica.usable();
                }
            }
        } catch (SQLException | RuntimeException e) {
            replica.unusable("check failed: " + e.getMessage());
        } finally {
            replica.checkStartedNanos = 0;
        }
    }

    /** Stops checking; every replica counts as unusable from now on. */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        checks.shutdownNow();
        for (Replica replica : replicas) {
            replica.usable = false;
            replica.reason = "the replica monitor is closed";
            replica.pool.removeListener(replica.breakage);
        }
    }

    /** One replica's state; written by its check, the timer, the router and its pool's listener, read by the router. */
    private final class Replica {

        final PoolDataSource pool;
        volatile boolean usable;
        /** Why it was last found unusable, for health and logs. */
        volatile String reason = "not checked yet";
        /** When the running check started ({@code System.nanoTime()}), 0 when none runs. */
        volatile long checkStartedNanos;
        /** Takes the replica out of use when one of its connections breaks or a connect to it fails. */
        final PoolListener breakage = new PoolListener() {

            @Override
            public boolean wantsTimings() {
                return false;
            }

            @Override
            public void connectFailed(SQLException error) {
                broke("a connect failed: " + error.getMessage());
            }

            @Override
            public void connectionEvicted(EvictionReason reason) {
                if (reason == EvictionReason.BROKEN) {
                    broke("a connection broke");
                }
            }
        };

        Replica(PoolDataSource pool) {
            this.pool = pool;
        }

        void broke(String why) {
            boolean wasUsable = usable;
            unusable(why);
            if (wasUsable) {
                evictIdleLater(this);
            }
        }

        void usable() {
            if (!usable && !closed) {
                usable = true;
                log.info("Replica {} takes reads", pool.getName());
            }
        }

        void unusable(String why) {
            if (closed) {
                return;
            }
            reason = why;
            if (usable) {
                usable = false;
                log.warn("Replica {} skipped, reads go elsewhere: {}", pool.getName(), why);
            } else {
                log.debug("Replica {} not usable: {}", pool.getName(), why);
            }
        }
    }
}
