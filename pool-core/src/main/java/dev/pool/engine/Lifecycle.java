package dev.pool.engine;

import dev.pool.PoolState;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where the pool is in its life: running, suspended, closed. One reference that the borrowing path,
 * the supply (which opens nothing for waiters while suspended, and nothing at all once closed) and
 * the shutdown read, and whose transitions are compare-and-set, so each happens once however many
 * threads ask for it.
 */
final class Lifecycle {

    private final AtomicReference<PoolState> state = new AtomicReference<>(PoolState.RUNNING);

    PoolState state() {
        return state.get();
    }

    boolean isClosed() {
        return state.get() == PoolState.CLOSED;
    }

    boolean isSuspended() {
        return state.get() == PoolState.SUSPENDED;
    }

    /** RUNNING → SUSPENDED; false if the pool was not running. */
    boolean suspend() {
        return state.compareAndSet(PoolState.RUNNING, PoolState.SUSPENDED);
    }

    /** SUSPENDED → RUNNING; false if the pool was not suspended. */
    boolean resume() {
        return state.compareAndSet(PoolState.SUSPENDED, PoolState.RUNNING);
    }

    /** Any state → CLOSED; false if it was closed already. */
    boolean close() {
        return state.getAndSet(PoolState.CLOSED) != PoolState.CLOSED;
    }
}
