package dev.pool.engine;

import dev.pool.PoolState;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where the pool is in its life: running, suspended (and perhaps quiesced), closed. One reference
 * that the borrowing path, the supply (which opens nothing while suspended or closed) and the
 * shutdown read, and whose transitions are compare-and-set, so each happens once however many
 * threads ask for it.
 *
 * <p>Quiesced is suspended and, besides, emptied: the pool keeps no connection (each one that
 * would go idle is closed) until it resumes, so that the database sees none from this process (a
 * JVM checkpoint). The public state stays {@link PoolState#SUSPENDED}; the flag tells the supply to
 * wake whoever waits for the pool to empty.
 */
final class Lifecycle {

    private final AtomicReference<PoolState> state = new AtomicReference<>(PoolState.RUNNING);
    private volatile boolean quiesced;

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

    boolean isQuiesced() {
        return quiesced;
    }

    /**
     * Marks a suspended pool quiesced, until {@link #resume()}; false if it is not suspended (closed
     * meanwhile, or resumed by another thread), and then it is not marked.
     */
    boolean quiesce() {
        quiesced = true;
        if (state.get() != PoolState.SUSPENDED) {
            quiesced = false;
            return false;
        }
        return true;
    }

    /** SUSPENDED → RUNNING, quiesced or not; false if the pool was not suspended. */
    boolean resume() {
        quiesced = false;
        return state.compareAndSet(PoolState.SUSPENDED, PoolState.RUNNING);
    }

    /** Any state → CLOSED; false if it was closed already. */
    boolean close() {
        return state.getAndSet(PoolState.CLOSED) != PoolState.CLOSED;
    }
}
