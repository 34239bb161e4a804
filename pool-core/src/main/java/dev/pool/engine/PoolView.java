package dev.pool.engine;

import dev.pool.ConnectionInfo;
import dev.pool.PoolStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the pool shows of itself: {@link PoolStats} and one {@link ConnectionInfo} per connection,
 * each a snapshot taken in one pass over the entries without stopping anyone. An entry idle in that
 * pass counts as idle; every other one (lent, or in a pool thread's hands for a moment) as active,
 * so {@code active + idle == total} holds in every snapshot.
 */
final class PoolView {

    private final ConnectionBag bag;
    private final PoolSizes sizes;
    private final Events events;
    private final Clock clock;

    PoolView(ConnectionBag bag, PoolSizes sizes, Events events, Clock clock) {
        this.bag = bag;
        this.sizes = sizes;
        this.events = events;
        this.clock = clock;
    }

    PoolStats stats() {
        PooledConnection[] all = bag.entries();
        int idle = 0;
        long borrowed = events.retiredBorrows.sum();
        for (PooledConnection e : all) {
            if (e.state() == PooledConnection.IDLE) {
                idle++;
            }
            borrowed += e.borrowCount;
        }
        return new PoolStats(all.length - idle, idle, all.length, bag.waiting(), sizes.maxSize(), sizes.minSize(),
                borrowed, events.created.sum(), events.waits.sum(), events.timeouts.sum(), events.evictions(),
                events.rejections());
    }

    List<ConnectionInfo> connections() {
        long now = clock.nanoTime();
        List<ConnectionInfo> infos = new ArrayList<>();
        for (PooledConnection e : bag.entries()) {
            long ageMs = TimeUnit.NANOSECONDS.toMillis(now - e.createdAt);
            if (e.state() == PooledConnection.IDLE) {
                infos.add(new ConnectionInfo("idle", ageMs, e.borrowCount, null, null, null, null));
                continue;
            }
            long lease = e.word();
            Thread borrower = e.borrower;
            Throwable site = e.borrowSite();
            long lastActive = e.watchedLease == lease ? e.lastActiveAt : e.borrowedAt;
            infos.add(new ConnectionInfo("active", ageMs, e.borrowCount,
                    TimeUnit.NANOSECONDS.toMillis(Math.max(0, now - e.borrowedAt)),
                    TimeUnit.NANOSECONDS.toMillis(Math.max(0, now - lastActive)),
                    borrower == null ? null : borrower.getName(),
                    site == null ? null : stackOf(site)));
        }
        return infos;
    }

    private static String stackOf(Throwable site) {
        StringBuilder text = new StringBuilder();
        for (StackTraceElement frame : site.getStackTrace()) {
            text.append("at ").append(frame).append('\n');
        }
        return text.toString();
    }
}
