package dev.pool.micrometer;

import dev.pool.EvictionReason;
import dev.pool.RejectionReason;
import dev.pool.PoolDataSource;
import dev.pool.PoolListener;
import dev.pool.PoolStats;
import dev.pool.Reset;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Arrays;
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
 * {@code reason} tag per {@link EvictionReason}, {@code .rejections} with one per
 * {@link RejectionReason} and {@code .resets} with a {@code what} tag per {@link Reset}, read from
 * the pool's own cumulative counters, so they count from the pool's start even if bound later.</li>
 * </ul>
 *
 * <p>With {@code openTelemetryNames}, the same readings are published a second time under the
 * OpenTelemetry semantic-convention names, tagged {@code db.client.connection.pool.name=<name>}
 * (and the extra tags) instead of {@code pool}: gauges {@code db.client.connection.count} (tag
 * {@code db.client.connection.state} = {@code idle} | {@code used}), {@code .max}, {@code .idle.max},
 * {@code .idle.min} and {@code .pending_requests}, counter {@code .timeouts}, timers
 * {@code .create_time}, {@code .wait_time} and {@code .use_time}.
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
    private static final String OTEL_PREFIX = "db.client.connection.";

    private final PoolDataSource pool;
    private final Tags tags;
    /** The tags of the OpenTelemetry meters; null when those are not published. */
    private final Tags otelTags;
    private final TimingListener listener = new TimingListener();
    /** Guarded by {@code this}: the listener joins the pool once, on the first bind. */
    private boolean listening;

    /** Metrics of {@code pool}, tagged {@code pool=<its name>}. */
    public PoolMetrics(PoolDataSource pool) {
        this(pool, Tags.empty());
    }

    /** Metrics of {@code pool}, tagged {@code pool=<its name>} and with {@code extraTags}. */
    public PoolMetrics(PoolDataSource pool, Iterable<Tag> extraTags) {
        this(pool, extraTags, false);
    }

    /**
     * Metrics of {@code pool}, tagged {@code pool=<its name>} and with {@code extraTags}; with
     * {@code openTelemetryNames} also the OpenTelemetry semantic-convention meters.
     */
    public PoolMetrics(PoolDataSource pool, Iterable<Tag> extraTags, boolean openTelemetryNames) {
        this.pool = pool;
        this.tags = Tags.of(extraTags).and("pool", pool.getName());
        this.otelTags = openTelemetryNames ? Tags.of(extraTags).and("db.client.connection.pool.name", pool.getName()) : null;
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
        for (Reset reset : Reset.values()) {
            counter(registry, "resets", "Returned connections that needed a reset, by what was reset", Tags.of("what", reset.tag()),
                    stats -> stats.resets().getOrDefault(reset, 0L));
        }
        for (RejectionReason reason : RejectionReason.values()) {
            counter(registry, "rejections", "getConnection() calls failed at once instead of waiting, by reason",
                    Tags.of("reason", reason.tag()), stats -> stats.rejections().getOrDefault(reason, 0L));
        }

        Timers timers = new Timers(
                timer(registry, PREFIX + "acquire", tags, "Time spent in getConnection(), including calls that timed out"),
                timer(registry, PREFIX + "usage", tags, "Time from borrowing a connection to returning it"),
                timer(registry, PREFIX + "creation", tags, "Time to open a physical connection"));
        if (otelTags != null) {
            timers = timers.and(bindOpenTelemetryNames(registry));
        }
        listener.feed(timers);
        if (!listening) {
            pool.addListener(listener);
            listening = true;
        }
    }

    /** The OpenTelemetry semantic-convention meters; returns their timers. */
    private Timers bindOpenTelemetryNames(MeterRegistry registry) {
        otelGauge(registry, "count", Tags.of("db.client.connection.state", "idle"),
                "The number of connections that are currently in the state described by the state attribute", PoolStats::idle);
        otelGauge(registry, "count", Tags.of("db.client.connection.state", "used"),
                "The number of connections that are currently in the state described by the state attribute", PoolStats::active);
        otelGauge(registry, "max", Tags.empty(), "The maximum number of open connections allowed", PoolStats::maxSize);
        Gauge.builder(OTEL_PREFIX + "idle.max", pool, p -> p.getMaxIdle() != null ? Math.max(0, p.getMaxIdle()) : p.getMaxSize())
                .description("The maximum number of idle open connections allowed")
                .tags(otelTags)
                .register(registry);
        Gauge.builder(OTEL_PREFIX + "idle.min", pool, PoolDataSource::getMinIdle)
                .description("The minimum number of idle open connections allowed")
                .tags(otelTags)
                .register(registry);
        otelGauge(registry, "pending_requests", Tags.empty(),
                "The number of current pending requests for an open connection", PoolStats::pending);
        FunctionCounter.builder(OTEL_PREFIX + "timeouts", pool, p -> p.stats().timeouts())
                .description("The number of connection timeouts that have occurred trying to obtain a connection from the pool")
                .tags(otelTags)
                .register(registry);
        return new Timers(
                timer(registry, OTEL_PREFIX + "wait_time", otelTags, "The time it took to obtain an open connection from the pool"),
                timer(registry, OTEL_PREFIX + "use_time", otelTags, "The time between borrowing a connection and returning it to the pool"),
                timer(registry, OTEL_PREFIX + "create_time", otelTags, "The time it took to create a new connection"));
    }

    private void otelGauge(MeterRegistry registry, String name, Tags extraTags, String description, ToDoubleFunction<PoolStats> value) {
        Gauge.builder(OTEL_PREFIX + name, pool, p -> value.applyAsDouble(p.stats()))
                .description(description)
                .tags(otelTags.and(extraTags))
                .register(registry);
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

    private static Timer timer(MeterRegistry registry, String name, Tags tags, String description) {
        return Timer.builder(name)
                .description(description)
                .tags(tags)
                .publishPercentileHistogram()
                .register(registry);
    }

    /** The timers of one registry: each timing goes to every timer in its array (ours, and the OpenTelemetry one). */
    private record Timers(Timer[] acquire, Timer[] usage, Timer[] creation) {

        Timers(Timer acquire, Timer usage, Timer creation) {
            this(new Timer[] {acquire}, new Timer[] {usage}, new Timer[] {creation});
        }

        Timers and(Timers more) {
            return new Timers(concat(acquire, more.acquire), concat(usage, more.usage), concat(creation, more.creation));
        }

        private static Timer[] concat(Timer[] a, Timer[] b) {
            Timer[] both = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, both, a.length, b.length);
            return both;
        }

        static void record(Timer[] timers, long nanos) {
            for (Timer timer : timers) {
                timer.record(nanos, TimeUnit.NANOSECONDS);
            }
        }
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
            boolean known = registries.stream().anyMatch(t -> t.acquire()[0] == timers.acquire()[0]);
            if (!known) {
                registries.add(timers);
            }
        }

        @Override
        public void connectionCreated(long nanos) {
            for (Timers timers : registries) {
                Timers.record(timers.creation(), nanos);
            }
        }

        @Override
        public void connectionAcquired(long nanos, boolean waited) {
            for (Timers timers : registries) {
                Timers.record(timers.acquire(), nanos);
            }
        }

        @Override
        public void acquireTimedOut(long nanos) {
            for (Timers timers : registries) {
                Timers.record(timers.acquire(), nanos);
            }
        }

        @Override
        public void connectionReturned(long nanos) {
            for (Timers timers : registries) {
                Timers.record(timers.usage(), nanos);
            }
        }
    }
}
