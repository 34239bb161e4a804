package dev.pool;

import java.time.Duration;

/**
 * A deadline for every {@code getConnection()} a thread makes while a scope is open: a request
 * handler or a transaction sets it once, and every borrow beneath it waits at most until then,
 * whichever pool it asks and however deep in the call stack:
 * <pre>
 *   try (WaitBudget.Scope budget = WaitBudget.limit(Duration.ofMillis(300))) {
 *       ... pool.getConnection() ...   // waits until 300 ms after limit() at most
 *   }
 * </pre>
 * Scopes nest: the earlier deadline wins, and closing a scope restores the one before it. The pool
 * reads the deadline only when a caller is about to wait (a borrow that finds a connection free
 * never looks), so a budget costs nothing on the fast path. {@code connection-wait-timeout} still
 * bounds every wait; a budget only shortens it. Close a scope on the thread that opened it.
 */
public final class WaitBudget {

    /** Long.MIN_VALUE: no deadline on this thread. */
    private static final ThreadLocal<long[]> DEADLINE = ThreadLocal.withInitial(() -> new long[] {Long.MIN_VALUE});

    private WaitBudget() {
    }

    /**
     * Opens a scope in which this thread's borrows wait at most {@code maxWait} from now (or less, if
     * an enclosing scope ends sooner).
     *
     * @throws IllegalArgumentException if {@code maxWait} is null or negative
     */
    public static Scope limit(Duration maxWait) {
        if (maxWait == null || maxWait.isNegative()) {
            throw new IllegalArgumentException("WaitBudget.limit(maxWait): maxWait must be 0 or more, was " + maxWait);
        }
        long[] slot = DEADLINE.get();
        long previous = slot[0];
        long deadline = System.nanoTime() + Math.min(maxWait.toNanos(), Long.MAX_VALUE / 4);
        if (previous == Long.MIN_VALUE || deadline - previous < 0) {
            slot[0] = deadline;
        }
        return new Scope(slot, previous);
    }

    /** The deadline ({@link System#nanoTime()} based) on this thread, or {@code Long.MIN_VALUE} if none. */
    public static long deadlineNanos() {
        return DEADLINE.get()[0];
    }

    /** An open budget; {@link #close()} restores the enclosing one. */
    public static final class Scope implements AutoCloseable {

        private final long[] slot;
        private final long previous;

        private Scope(long[] slot, long previous) {
            this.slot = slot;
            this.previous = previous;
        }

        @Override
        public void close() {
            slot[0] = previous;
        }
    }
}
