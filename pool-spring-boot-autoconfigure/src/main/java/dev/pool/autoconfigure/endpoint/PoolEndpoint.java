package dev.pool.autoconfigure.endpoint;

import dev.pool.ConnectionInfo;
import dev.pool.EvictionReason;
import dev.pool.RejectionReason;
import dev.pool.PoolConfigException;
import dev.pool.PoolDataSource;
import dev.pool.PoolState;
import dev.pool.PoolStats;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code pool} endpoint: every pool's state, counts, counters and configuration (secrets
 * masked), one pool's connections, and the operations an operator needs in an incident: evict
 * idle or all connections, suspend and resume lending, resize.
 *
 * <p>Over HTTP, {@link PoolEndpointWebExtension} answers an unknown pool with 404 and a bad request
 * with 400, each with a message.
 *
 * <p>Reads only, unless the application opts in: anyone who can reach an exposed endpoint could
 * otherwise suspend the pool or evict every connection and take the application's database access
 * down, so the actions, like Boot's own {@code shutdown}, need
 * {@code management.endpoint.pool.access=unrestricted}. Without it Boot does not map them at all.
 */
@Endpoint(id = "pool", defaultAccess = Access.READ_ONLY)
public class PoolEndpoint {

    private final Map<String, PoolDataSource> pools;

    /** @param pools the pools to show, by name */
    public PoolEndpoint(Map<String, PoolDataSource> pools) {
        this.pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
    }

    /** {@code GET /actuator/pool}: a snapshot of every pool. */
    @ReadOperation
    public PoolsDescriptor pools() {
        Map<String, PoolDescriptor> descriptors = new LinkedHashMap<>();
        pools.forEach((name, pool) -> descriptors.put(name, new PoolDescriptor(pool)));
        return new PoolsDescriptor(descriptors);
    }

    /** {@code GET /actuator/pool/{name}}: a snapshot of one pool with its connections; null if there is none by that name. */
    @ReadOperation
    public @Nullable PoolDetailsDescriptor pool(@Selector String name) {
        PoolDataSource pool = pools.get(name);
        return (pool != null) ? new PoolDetailsDescriptor(pool) : null;
    }

    /**
     * {@code POST /actuator/pool/{name}} with {@code {"action": ...}}: runs the action and returns
     * the pool's new snapshot; null if there is no pool by that name.
     *
     * @param action  {@code evict-idle}, {@code evict-all}, {@code suspend}, {@code resume} or {@code resize}
     * @param minIdle for {@code resize}: the new {@code min-idle}; unset keeps the current one
     * @param maxSize for {@code resize}: the new {@code max-size}; unset keeps the current one
     * @throws InvalidEndpointRequestException for an unknown action, values the pool rejects, or a closed pool
     */
    @WriteOperation
    public @Nullable PoolDescriptor operate(@Selector String name, @Nullable String action, @Nullable Integer minIdle,
            @Nullable Integer maxSize) {
        PoolDataSource pool = pools.get(name);
        if (pool == null) {
            return null;
        }
        Action requested = Action.of(action);
        if (requested != Action.RESIZE && (minIdle != null || maxSize != null)) {
            throw invalid("minIdle and maxSize go with the action 'resize' only, not '" + requested.tag + "'");
        }
        if (pool.state() == PoolState.CLOSED) {
            throw invalid("Pool '" + name + "' is closed");
        }
        switch (requested) {
            case EVICT_IDLE -> pool.evictIdle();
            case EVICT_ALL -> pool.evictAll();
            case SUSPEND -> pool.suspend();
            case RESUME -> pool.resume();
            case RESIZE -> resize(pool, minIdle, maxSize);
        }
        return new PoolDescriptor(pool);
    }

    /** The names of the pools this endpoint shows. */
    public List<String> names() {
        return List.copyOf(pools.keySet());
    }

    private static void resize(PoolDataSource pool, @Nullable Integer minIdle, @Nullable Integer maxSize) {
        if (minIdle == null && maxSize == null) {
            throw invalid("The action 'resize' needs minIdle, maxSize or both");
        }
        try {
            pool.resize((minIdle != null) ? minIdle : pool.getMinIdle(),
                    (maxSize != null) ? maxSize : pool.stats().maxSize());
        } catch (PoolConfigException ex) {
            throw invalid(ex.getMessage());
        }
    }

    private static InvalidEndpointRequestException invalid(String reason) {
        return new InvalidEndpointRequestException(reason, reason);
    }

    /** What {@link #operate} can do, by the name a request gives. */
    private enum Action {
        EVICT_IDLE("evict-idle"), EVICT_ALL("evict-all"), SUSPEND("suspend"), RESUME("resume"), RESIZE("resize");

        private final String tag;

        Action(String tag) {
            this.tag = tag;
        }

        static Action of(@Nullable String tag) {
            for (Action action : values()) {
                if (action.tag.equals(tag)) {
                    return action;
                }
            }
            String known = Arrays.stream(values()).map((action) -> action.tag).collect(Collectors.joining(", "));
            throw invalid(((tag == null) ? "No action given" : "Unknown action '" + tag + "'") + ": use one of " + known);
        }
    }

    /** Every pool's snapshot, by name. */
    public static final class PoolsDescriptor implements OperationResponseBody {

        private final Map<String, PoolDescriptor> pools;

        PoolsDescriptor(Map<String, PoolDescriptor> pools) {
            this.pools = pools;
        }

        public Map<String, PoolDescriptor> getPools() {
            return pools;
        }
    }

    /** One pool's snapshot: its state, counts, cumulative counters and configuration. */
    public static class PoolDescriptor implements OperationResponseBody {

        private final PoolState state;
        private final int active;
        private final int idle;
        private final int total;
        private final int pending;
        private final int maxSize;
        private final int minSize;
        private final int minIdle;
        private final CountersDescriptor counters;
        private final Map<String, Object> config;

        PoolDescriptor(PoolDataSource pool) {
            PoolStats stats = pool.stats();
            this.state = pool.state();
            this.active = stats.active();
            this.idle = stats.idle();
            this.total = stats.total();
            this.pending = stats.pending();
            this.maxSize = stats.maxSize();
            this.minSize = stats.minSize();
            this.minIdle = pool.getMinIdle();
            this.counters = new CountersDescriptor(stats);
            this.config = PoolConfigEntries.of(pool.getConfig(), minIdle, maxSize);
        }

        public PoolState getState() {
            return state;
        }

        public int getActive() {
            return active;
        }

        public int getIdle() {
            return idle;
        }

        public int getTotal() {
            return total;
        }

        public int getPending() {
            return pending;
        }

        /** The current {@code max-size}, which a resize may have changed. */
        public int getMaxSize() {
            return maxSize;
        }

        public int getMinSize() {
            return minSize;
        }

        /** The current {@code min-idle}, which a resize may have changed. */
        public int getMinIdle() {
            return minIdle;
        }

        public CountersDescriptor getCounters() {
            return counters;
        }

        /**
         * The pool's configuration by property name, with the current {@code min-idle} and
         * {@code max-size} (after any resize); secrets masked, unset ones left out.
         */
        public Map<String, Object> getConfig() {
            return config;
        }
    }

    /** One pool's snapshot and its open connections. */
    public static final class PoolDetailsDescriptor extends PoolDescriptor {

        private final List<ConnectionDescriptor> connections;

        PoolDetailsDescriptor(PoolDataSource pool) {
            super(pool);
            this.connections = pool.connections().stream().map(ConnectionDescriptor::new).toList();
        }

        public List<ConnectionDescriptor> getConnections() {
            return connections;
        }
    }

    /** A pool's cumulative counters since it started. */
    public static final class CountersDescriptor {

        private final long borrowed;
        private final long created;
        private final long waits;
        private final long timeouts;
        private final Map<String, Long> evictions;
        private final Map<String, Long> rejections;

        CountersDescriptor(PoolStats stats) {
            this.borrowed = stats.borrowed();
            this.created = stats.created();
            this.waits = stats.waits();
            this.timeouts = stats.timeouts();
            this.evictions = new LinkedHashMap<>();
            for (EvictionReason reason : EvictionReason.values()) {
                this.evictions.put(reason.tag(), stats.evictions().getOrDefault(reason, 0L));
            }
            this.rejections = new LinkedHashMap<>();
            for (RejectionReason reason : RejectionReason.values()) {
                this.rejections.put(reason.tag(), stats.rejections().getOrDefault(reason, 0L));
            }
        }

        public long getBorrowed() {
            return borrowed;
        }

        public long getCreated() {
            return created;
        }

        public long getWaits() {
            return waits;
        }

        public long getTimeouts() {
            return timeouts;
        }

        /** Connections the pool closed, by reason ({@code idle-time}, {@code manual}, ...), every reason present. */
        public Map<String, Long> getEvictions() {
            return evictions;
        }

        /** getConnection() calls failed at once, by reason ({@code queue-full}, {@code predicted-timeout}, {@code deadlock}), every reason present. */
        public Map<String, Long> getRejections() {
            return rejections;
        }
    }

    /**
     * One open connection. For an active one also how long it has been held, how long since its
     * last JDBC call, the borrowing thread, and, when leak detection or abandoned tracking is on,
     * where it was borrowed; these are null (and left out of JSON) for an idle one.
     */
    public static final class ConnectionDescriptor {

        private final String state;
        private final long ageMs;
        private final long borrowCount;
        private final @Nullable Long heldMs;
        private final @Nullable Long lastUsedMs;
        private final @Nullable String thread;
        private final @Nullable String stack;

        ConnectionDescriptor(ConnectionInfo info) {
            this.state = info.state();
            this.ageMs = info.ageMs();
            this.borrowCount = info.borrowCount();
            this.heldMs = info.heldMs();
            this.lastUsedMs = info.lastUsedMs();
            this.thread = info.thread();
            this.stack = info.stack();
        }

        /** {@code active} or {@code idle}. */
        public String getState() {
            return state;
        }

        public long getAgeMs() {
            return ageMs;
        }

        public long getBorrowCount() {
            return borrowCount;
        }

        public @Nullable Long getHeldMs() {
            return heldMs;
        }

        public @Nullable Long getLastUsedMs() {
            return lastUsedMs;
        }

        public @Nullable String getThread() {
            return thread;
        }

        public @Nullable String getStack() {
            return stack;
        }
    }
}
