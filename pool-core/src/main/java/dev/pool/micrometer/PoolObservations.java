package dev.pool.micrometer;

import dev.pool.AcquireOutcome;
import dev.pool.PoolListener;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.sql.SQLException;

/**
 * A Micrometer {@link Observation} named {@value #NAME} around every wait of
 * {@code getConnection()}: with Boot's tracing, a span under the request that waited, and a timer
 * {@code pool.connection.acquire} with low-cardinality keys {@code pool} (the pool's name) and
 * {@code outcome} ({@code success}, {@code timeout} or {@code failure}; see {@link AcquireOutcome}).
 * A failed wait also carries the caller's exception as the observation's error.
 *
 * <p>Only a borrow that has to wait is observed ({@link PoolListener#waitStarted()}): one that finds
 * an idle connection does not reach a listener until it is lent, and costs no observation.
 *
 * <pre>{@code
 * pool.addListener(new PoolObservations(pool.getName(), observationRegistry));
 * }</pre>
 */
public final class PoolObservations implements PoolListener {

    /** The observation's name, and that of the timer Micrometer derives from it. */
    public static final String NAME = "pool.connection.acquire";

    private final String poolName;
    private final ObservationRegistry registry;

    public PoolObservations(String poolName, ObservationRegistry registry) {
        this.poolName = poolName;
        this.registry = registry;
    }

    /** Durations come from the observation itself: the pool need not read the clock for this listener. */
    @Override
    public boolean wantsTimings() {
        return false;
    }

    @Override
    public Wait waitStarted() {
        Observation observation = Observation.createNotStarted(NAME, registry)
                .contextualName("pool acquire")
                .lowCardinalityKeyValue("pool", poolName)
                .start();
        return (outcome, error) -> ended(observation, outcome, error);
    }

    private static void ended(Observation observation, AcquireOutcome outcome, SQLException error) {
        observation.lowCardinalityKeyValue("outcome", outcome.tag());
        if (error != null) {
            observation.error(error);
        }
        observation.stop();
    }

    @Override
    public String toString() {
        return "PoolObservations[" + poolName + "]";
    }
}
