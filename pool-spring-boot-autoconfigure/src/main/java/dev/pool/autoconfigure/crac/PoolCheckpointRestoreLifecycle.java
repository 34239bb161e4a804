package dev.pool.autoconfigure.crac;

import dev.pool.PoolDataSource;
import dev.pool.autoconfigure.PoolDataSources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.Lifecycle;

/**
 * Lets the application's pools take part in a JVM checkpoint (Coordinated Restore at Checkpoint,
 * CRaC), as Boot's {@code HikariCheckpointRestoreLifecycle} does for HikariCP. Before a checkpoint
 * Spring stops every running {@link Lifecycle}; this one then {@linkplain PoolDataSource#quiesce
 * quiesces} every pool, so the image holds no socket to the database: lending and opening stop,
 * idle connections are closed at once, borrowed ones are awaited within each pool's
 * {@code shutdown-timeout}. After the restore Spring starts it again, and every pool resumes and
 * refills {@code min-idle}.
 *
 * <p>All pools stop lending before it waits for any, so their waits overlap. A plain
 * {@link Lifecycle}, phase 0, like Boot's: it stops after the web server, whose graceful shutdown
 * runs in a later phase. It also quiesces a pool an operator had suspended, since the checkpoint
 * needs it empty all the same. A pool that has not started yet (built with the no-arg constructor,
 * started by its first borrow) holds no connection and is left unstarted across the checkpoint. When the context closes it leaves the pools alone: each pool's own
 * {@code close()} follows, with the same wait for borrowed connections.
 */
public class PoolCheckpointRestoreLifecycle implements Lifecycle {

    private static final Logger log = LoggerFactory.getLogger(PoolCheckpointRestoreLifecycle.class);

    private final ListableBeanFactory beanFactory;
    private final ConfigurableApplicationContext applicationContext;
    private volatile boolean stopped;

    /**
     * @param beanFactory        where the pools are: every {@code PoolDataSource} among its
     *                           {@code DataSource} beans, also behind a wrapper, as for the metrics
     * @param applicationContext the context, to tell its close from a checkpoint
     */
    public PoolCheckpointRestoreLifecycle(ListableBeanFactory beanFactory, ConfigurableApplicationContext applicationContext) {
        this.beanFactory = beanFactory;
        this.applicationContext = applicationContext;
    }

    /** Resumes every pool after a restore. */
    @Override
    public void start() {
        if (!stopped) {
            return;
        }
        for (PoolDataSource pool : pools()) {
            if (pool.isClosed()) {
                throw new IllegalStateException("Pool '" + pool.getName() + "' has been closed and cannot be restarted");
            }
            if (!pool.isStarted()) {
                continue; // never started, so never quiesced: its first borrower starts it, as before the checkpoint
            }
            log.info("Resuming pool '{}' after a restore", pool.getName());
            pool.resume();
        }
        stopped = false;
    }

    /** Empties every pool for a checkpoint; nothing when the context is closing. */
    @Override
    public void stop() {
        if (stopped || applicationContext.isClosed()) {
            return;
        }
        long start = System.nanoTime();
        List<PoolDataSource> busy = new ArrayList<>();
        for (PoolDataSource pool : pools()) {
            if (!pool.isClosed()) {
                log.info("Quiescing pool '{}' for a checkpoint", pool.getName());
                if (!pool.quiesce(Duration.ZERO)) { // stops lending and closes the idle ones at once
                    busy.add(pool);
                }
            }
        }
        for (PoolDataSource pool : busy) {
            Duration timeout = pool.getConfig().getShutdownTimeout();
            Duration left = timeout.minusNanos(System.nanoTime() - start);
            if (!pool.quiesce(left.isNegative() ? Duration.ZERO : left)) {
                log.warn("Pool '{}' still has {} connection(s) borrowed after its shutdown-timeout ({} ms): a checkpoint "
                        + "fails while they are open. Each is closed when its borrower returns it.", pool.getName(),
                        pool.stats().total(), timeout.toMillis());
            }
        }
        stopped = true;
    }

    /** True until {@link #stop()} quiesced the pools, and again once {@link #start()} resumed them. */
    @Override
    public boolean isRunning() {
        return !stopped;
    }

    private Collection<PoolDataSource> pools() {
        return PoolDataSources.byName(beanFactory).values();
    }
}
