package dev.pool.micrometer;

import dev.pool.EvictionReason;
import dev.pool.RejectionReason;
import dev.pool.PoolDataSource;
import dev.pool.PoolListener;
import dev.pool.PoolStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Everything a pool publishes to Micrometer, tagged {@code pool=<name>}:
 *
 * <ul>
 * <li>gauges {@code pool.connections.active}, {@code .idle}, {@code .total}, {@code .pending},
 * {@code .max} and {@code .min}, read from {@link PoolDataSource#stats()} when the registry asks;</li>
 * <li>timers {@code pool.connections.acquire}, {@code .usage} and {@code .creation}, fed by a
 * {@link PoolListener} that the first {@link #bindTo} adds to the pool, with percentile histograms
 * (Prometheus gets {@code _bucket} series);</li>
 * <li>counters {@code pool.connections.waits}, {@code .timeouts}, {@code .evictions} with a
 * {@code reason} tag per {@link EvictionReason} and {@code .rejections} with one per
 * {@link RejectionReason}, read from the pool's own cumulative counters, so
 * they count from the pool's start even if bound later.</li>
 * </ul>
 *
 * <pre>{@code
 * new PoolMetrics(pool).bindTo(registry);
 * }</pre>
 *
 * Binding to several registries feeds each its own timers; binding to one registry twice changes
 * nothing. {@link #close()} stops feeding the timers.
 */
public final class PoolMetrics implements MeterBinder, AutoCloseable {

    private static final String PREFIX = "pool.connections.";

    private final PoolDataSource pool;
    private final Tags tags;
    private final TimingListener listener = new TimingListener();
    /** Guarded by {@code this}: the listener joins the pool once, on the first bind. */
    private boolean listening;

    /** Metrics of {@code pool}, tagged {@code pool=<its name>}. */
    public PoolMetrics(PoolDataSource pool) {
        this(pool, Tags.empty());
    }

    /** Metrics of {@code pool}, tagged {@code pool=<its name>} and with {@code extraTags}. */
    public PoolMetrics(PoolDataSource pool, Iterable<Tag> extraTags) {
        this.pool = pool;
        this.tags = Tags.of(extraTags).and("pool", pool.getName());
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        gauge(registry, "active", "Connections borrowed now", PoolStats::active);
        gauge(registry, "idle", "Connections idle in the pool now", PoolStats::idle);
        gauge(registry, "total", "Open connections now (active + idle)", PoolStats::total);
        gauge(registry, "pending", "Threads waiting in getConnection() now", PoolStats::pending);
        gauge(registry, "max", "Maximum open connections (max-size)", PoolStats::maxSize);
        gauge(registry, "min", "Connections the pool never shrinks below (min-size)", PoolStats::minSize);

        counter(registry, "waits", "getConnection() calls that found no connection free and had to wait",
                Tags.empty(), PoolStats::waits);
        counter(registry, "timeouts", "getConnection() calls that timed out", Tags.empty(), PoolStats::timeouts);
        for (EvictionReason reason : EvictionReason.values()) {
            counter(registry, "evictions", "Connections closed by the pool, by reason", Tags.of("reason", reason.tag()),
                    stats -> stats.evictions().getOrDefault(reason, 0L));
        }
        for (RejectionReason reason : RejectionReason.values()) {
            counter(registry, "rejections", "getConnection() calls failed at once instead of waiting, by reason",
                    Tags.of("reason", reason.tag()), stats -> stats.rejections().getOrDefault(reason, 0L));
        }

        listener.feed(new Timers(
                timer(registry, "acquire", "Time spent in getConnection(), including calls that timed out"),
                timer(registry, "usage", "Time from borrowing a connection to returning it"),
                timer(registry, "creation", "Time to open a physical connection")));
        if (!listening) {
            pool.addListener(listener);
            listening = true;
        }
    }

    /** Stops feeding the timers; the gauges and counters stay registered until the registry drops them. */
    @Override
    public synchronized void close() {
        if (listening) {
            pool.removeListener(listener);
            listening = false;
        }
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<PoolStats> value) {
        Gauge.builder(PREFIX + name, pool, p -> value.applyAsDouble(p.stats()))
                .description(description)
                .tags(tags)
                .register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, Tags extraTags,
            ToDoubleFunction<PoolStats> count) {
        FunctionCounter.builder(PREFIX + name, pool, p -> count.applyAsDouble(p.stats()))
                .description(description)
                .tags(tags.and(extraTags))
                .register(registry);
    }

    private Timer timer(MeterRegistry registry, String name, String description) {
        return Timer.builder(PREFIX + name)
                .description(description)
                .tags(tags)
                .publishPercentileHistogram()
                .register(registry);
    }

    /** The timers of one registry. */
    private record Timers(Timer acquire, Timer usage, Timer creation) {
    }

    /** Records the pool's timings into the timers of every registry bound so far. */
    private static final class TimingListener implements PoolListener {

        private final List<Timers> registries = new CopyOnWriteArrayList<>();

        /**
         * A registry hands out the same Timer for the same name and tags, so a second bind to it
         * finds its timers here already. Compared by identity: Micrometer meters are equal by id,
         * and a timer of another registry has the same id.
         */
        void feed(Timers timers) {
            boolean known = registries.stream().anyMatch(t -> t.acquire() == timers.acquire());
            if (!known) {
                registries.add(timers);
            }
        }

        @Override
        public void connectionCreated(long nanos) {
            for (Timers timers : registries) {
                timers.creation().record(nanos, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void connectionAcquired(long nanos, boolean waited) {
            for (Timers timers : registries) {
                timers.acquire().record(nanos, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void acquireTimedOut(long nanos) {
            for (Timers timers : registries) {
                timers.acquire().record(nanos, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void connectionReturned(long nanos) {
            for (Timers timers : registries) {
                timers.usage().record(nanos, TimeUnit.NANOSECONDS);
            }
        }
    }
}
