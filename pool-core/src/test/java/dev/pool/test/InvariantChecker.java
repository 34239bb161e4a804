package dev.pool.test;

import dev.pool.PoolDataSource;
import dev.pool.PoolStats;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Runs beside a test and checks what must hold at every moment, whatever the test does to the pool:
 * <ul>
 *   <li>no physical connection is lent to two borrowers at once: borrowers report each connection
 *       they get ({@link #lent}) and give back ({@link #returning}), identified by the driver's
 *       connection behind the handle;</li>
 *   <li>every {@link PoolStats} snapshot adds up: {@code active + idle == total <= max-size}, no
 *       count negative; and borrowers never hold more than {@code max-size} connections;</li>
 *   <li>with {@link #serverSide}, the server never has more than {@code max-size} backends with the
 *       pool's {@code application_name} ({@code pg_stat_activity}, polled every 10 ms while the server
 *       is up; a count above max-size must last 250 ms, as a closed backend stays listed until its
 *       process has exited);</li>
 *   <li>at a quiet moment ({@link #assertQuiescent}): nothing lent or pending, every connection the
 *       pool opened is open or was closed for a counted reason ({@code created - evictions == total}),
 *       and the server holds no more backends than the pool has open connections (fewer only if a
 *       test killed backends the pool has not looked at since);</li>
 *   <li>after {@code close()} ({@link #assertClosedCleanly}): no pool thread and no backend left.</li>
 * </ul>
 * Violations are collected, not thrown on the spot (most happen on other threads), and reported by
 * {@link #assertNoViolations()}; {@link #close()} stops the background checks.
 */
public final class InvariantChecker implements AutoCloseable {

    private static final int MAX_RECORDED = 50;
    private static final long STATS_PERIOD_MICROS = 1000;
    private static final long SERVER_PERIOD_MILLIS = 10;
    /** How long the server may list more than max-size backends before it counts: see {@link #checkServer()}. */
    private static final Duration SERVER_LINGER = Duration.ofMillis(250);

    private final PoolDataSource pool;
    private final int maxSize;
    private final Class<?> physicalType;
    /** Physical connection to the borrower holding it. No monitors: the checker must not pin virtual threads. */
    private final Map<Identity, Claim> holders = new ConcurrentHashMap<>();
    private final Map<Identity, Identity> physicalOf = new ConcurrentHashMap<>();
    private final AtomicInteger held = new AtomicInteger();
    private final Queue<String> violations = new ConcurrentLinkedQueue<>();
    private final AtomicInteger violationCount = new AtomicInteger();
    private final AtomicLong snapshots = new AtomicLong();
    private final AtomicLong serverSamples = new AtomicLong();
    private final AtomicInteger maxTotal = new AtomicInteger();
    private final AtomicInteger maxBackends = new AtomicInteger();
    private final AtomicInteger maxHeld = new AtomicInteger();
    private final ScheduledExecutorService monitor = Executors.newScheduledThreadPool(2, task -> {
        Thread thread = new Thread(task, "invariant-checker");
        thread.setDaemon(true);
        return thread;
    });
    private TestDatabase database;
    private String applicationName;
    /** Used by the server check alone (one run at a time: scheduleWithFixedDelay). */
    private TestDatabase.BackendWatch watch;
    /** When the server's count went above max-size, 0 while it is not. */
    private long aboveSince;

    /**
     * @param maxSize      the most connections the pool may ever hold (its configured {@code max-size};
     *                     a test that resizes passes the largest size it uses)
     * @param physicalType what the pool's handles unwrap to, naming the physical connection
     *                     ({@code org.postgresql.PGConnection}, {@link StubConnection})
     */
    public InvariantChecker(PoolDataSource pool, int maxSize, Class<?> physicalType) {
        this.pool = pool;
        this.maxSize = maxSize;
        this.physicalType = physicalType;
    }

    /** Also watch the server: backends with this application name never above {@code max-size}. */
    public InvariantChecker serverSide(TestDatabase database, String applicationName) {
        this.database = database;
        this.applicationName = applicationName;
        return this;
    }

    /** Starts the background checks. */
    public InvariantChecker start() {
        monitor.scheduleWithFixedDelay(this::checkStats, 0, STATS_PERIOD_MICROS, TimeUnit.MICROSECONDS);
        if (database != null) {
            monitor.scheduleWithFixedDelay(this::checkServer, 0, SERVER_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    // ---- what borrowers report

    /** A borrower got {@code handle}: its physical connection must not be held by anyone else. */
    public void lent(Connection handle) throws SQLException {
        Identity physical = new Identity(handle.unwrap(physicalType));
        Claim mine = new Claim(Thread.currentThread(), handle);
        Claim other = holders.putIfAbsent(physical, mine);
        if (other != null) {
            // even if the pool took the other handle back (abandoned), its connection must have been closed, not lent again
            violation("physical connection " + physical.object + " lent to '" + mine.thread.getName() + "' while '"
                    + other.thread.getName() + "' holds it" + (other.isEnded() ? " (the pool ended that lease)" : ""));
            return;
        }
        physicalOf.put(new Identity(handle), physical);
        int now = held.incrementAndGet();
        if (now > maxSize) {
            // claims of handles the pool reclaimed (forgotten by a test) stay until the test lets go: count only live leases
            now = (int) holders.values().stream().filter(claim -> !claim.isEnded()).count();
            if (now > maxSize) {
                violation(now + " connections held by borrowers at once, more than max-size " + maxSize);
            }
        }
        maxHeld.accumulateAndGet(now, Math::max);
    }

    /** The borrower is about to close {@code handle} (call it before {@code close()}, never after). */
    public void returning(Connection handle) {
        Identity physical = physicalOf.remove(new Identity(handle));
        if (physical != null && holders.remove(physical) != null) {
            held.decrementAndGet();
        }
    }

    /** Borrowers hold this many connections now (lent and not yet returning). */
    public int held() {
        return held.get();
    }

    /** Borrows through the checker: {@link #lent} on success. */
    public Connection borrow() throws SQLException {
        Connection handle = pool.getConnection();
        try {
            lent(handle);
        } catch (SQLException | RuntimeException e) {
            handle.close();
            throw e;
        }
        return handle;
    }

    /** Gives back through the checker: {@link #returning}, then {@code close()}. */
    public void giveBack(Connection handle) throws SQLException {
        returning(handle);
        handle.close();
    }

    // ---- background checks

    private void checkStats() {
        PoolStats s = pool.stats();
        snapshots.incrementAndGet();
        maxTotal.accumulateAndGet(s.total(), Math::max);
        if (s.active() + s.idle() != s.total() || s.total() > maxSize || s.active() < 0 || s.idle() < 0 || s.pending() < 0) {
            violation("inconsistent snapshot (max-size " + maxSize + "): " + s);
        }
    }

    private void checkServer() {
        if (!database.isRunning()) {
            closeWatch();
            return;
        }
        int backends;
        try {
            backends = countBackends();
        } catch (SQLException serverGoingDown) {
            closeWatch();
            return;
        }
        serverSamples.incrementAndGet();
        maxBackends.accumulateAndGet(backends, Math::max);
        // PostgreSQL lists a closed backend until its process has exited, which on a busy machine can
        // take tens of milliseconds after the client closed (or a proxy reset) the connection: a count
        // above max-size may be such stragglers; one that lasts is the pool's. CountingDataSource
        // sees the client's side exactly, without this lag.
        long now = System.nanoTime();
        if (backends <= maxSize) {
            aboveSince = 0;
        } else if (aboveSince == 0) {
            aboveSince = now;
        } else if (now - aboveSince >= SERVER_LINGER.toNanos()) {
            violation(backends + " server backends named '" + applicationName + "', more than max-size " + maxSize
                    + ", for " + SERVER_LINGER.toMillis() + " ms (pool: " + pool.stats() + ")");
            aboveSince = now; // report again only if it lasts as long again
        }
    }

    /** Over one connection kept open: a new backend every few milliseconds would load the server more than the pool does. */
    private int countBackends() throws SQLException {
        if (watch == null) {
            watch = database.watchBackends(applicationName);
        }
        return watch.count();
    }

    private void closeWatch() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
    }

    private void violation(String what) {
        if (violationCount.incrementAndGet() <= MAX_RECORDED) {
            violations.add(what);
        }
    }

    // ---- assertions

    public List<String> violations() {
        return new ArrayList<>(violations);
    }

    /** Throws if any invariant was broken so far, listing the first violations. */
    public void assertNoViolations() {
        if (violationCount.get() > 0) {
            throw new AssertionError(violationCount.get() + " invariant violation(s), the first:\n  "
                    + String.join("\n  ", violations));
        }
        if (snapshots.get() == 0) {
            throw new AssertionError("the checker never ran: call start()");
        }
    }

    /**
     * Nothing lent or pending, and every connection accounted for: opened ones are open or were
     * closed for a counted reason, and none the pool counts as closed is still open on the server (it
     * may take a moment for closed backends to leave {@code pg_stat_activity}).
     */
    public void assertQuiescent(Duration within) {
        awaitTrue(within, () -> {
            PoolStats s = pool.stats();
            return s.active() == 0 && s.pending() == 0 && s.created() - s.evictionsTotal() == s.total()
                    && (database == null || database.backendCount(applicationName) <= s.total());
        }, () -> "pool not quiescent or connections unaccounted for: " + pool.stats()
                + (database == null ? "" : ", server backends " + database.backendCount(applicationName))
                + ", held by borrowers " + held.get());
    }

    /** After the pool's {@code close()}: no thread of the pool alive, no backend left on the server. */
    public void assertClosedCleanly(Duration within) {
        String prefix = pool.getName() + "-";
        awaitTrue(within, () -> poolThreads(prefix).isEmpty(), () -> "pool threads alive after close(): " + poolThreads(prefix));
        if (database != null) {
            awaitTrue(within, () -> database.backendCount(applicationName) == 0,
                    () -> database.backendCount(applicationName) + " backends left after close()");
        }
    }

    /** Live threads named after the pool ({@code <name>-housekeeper}, {@code <name>-worker-N}). */
    public static List<String> poolThreads(String prefix) {
        List<String> names = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.isAlive() && thread.getName().startsWith(prefix)) {
                names.add(thread.getName());
            }
        }
        return names;
    }

    private static void awaitTrue(Duration within, Condition condition, Supplier<String> failure) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(failure.get() + " (waited " + within.toMillis() + " ms)");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // polling a condition, as Awaitility does
        }
    }

    private record Claim(Thread thread, Connection handle) {

        /** The lease behind the handle is over (a handle's isClosed() asks the pool, not the driver). */
        boolean isEnded() {
            try {
                return handle.isClosed();
            } catch (SQLException e) {
                return true;
            }
        }
    }

    /** Compares by identity: drivers' connections and the pool's handles may define equals. */
    private record Identity(Object object) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Identity that && that.object == object;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(object);
        }
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds();
    }

    /** The most open connections seen in any snapshot. */
    public int maxTotal() {
        return maxTotal.get();
    }

    /** The most backends seen on the server; -1 without {@link #serverSide}. */
    public int maxBackends() {
        return database == null ? -1 : maxBackends.get();
    }

    /** The most connections borrowers held at once. */
    public int maxHeld() {
        return maxHeld.get();
    }

    public long snapshots() {
        return snapshots.get();
    }

    public long serverSamples() {
        return serverSamples.get();
    }

    /** Stops the background checks. */
    @Override
    public void close() {
        monitor.shutdownNow();
        try {
            monitor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeWatch(); // the server check has stopped: its connection is ours to close
    }

    @Override
    public String toString() {
        return "InvariantChecker[snapshots " + snapshots + ", server samples " + serverSamples + ", max total "
                + maxTotal + ", max backends " + maxBackends() + ", max held " + maxHeld + ", violations " + violationCount + "]";
    }
}
