package dev.pool.engine;

import dev.pool.Holder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Who held the connections over the last 5 minutes: per call site, the borrows and a
 * {@link SiteHoldTimes} histogram for each of five one-minute slots, so a minute's data ages out as a
 * whole when its slot is reused.
 *
 * <p><b>Sampling.</b> Walking a stack costs microseconds, a whole borrow and return about 20 ns, so
 * only sampled borrows are walked: an entry is sampled when at least {@link #SAMPLE_EVERY_NANOS} of
 * the pool's clock passed since its last sample (the coarse clock on the fast path, refreshed at
 * least every 250 ms). The test is one subtraction on a field the borrower already owns; the walk
 * then happens at most 10 times a second per connection, whatever the load, so the JMH cycle cannot
 * see it, while a quiet pool has every borrow sampled. A sample stands for every borrow of its
 * connection since the previous sample (its weight), so the counts estimate all borrows. The hold
 * of a sampled lease is timed with the real clock at both ends, and recorded when it ends.
 *
 * <p>At most {@link #MAX_SITES} sites are kept; more go under {@link #OTHER_SITES}.
 *
 * <p>The same slots give {@link SizeAdvisor} its load: all sites' borrows and hold time over the
 * {@link #window()}, this minute and the one before.
 */
final class Holders {

    static final long SAMPLE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    static final int MAX_SITES = 256;
    static final String OTHER_SITES = "(other sites)";
    private static final int SLOTS = 5;
    private static final long SLOT_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Clock clock;
    private final long startedAt;
    private final Map<String, Site> sites = new ConcurrentHashMap<>();

    Holders(Clock clock) {
        this.clock = clock;
        this.startedAt = clock.nanoTime();
    }

    /**
     * At the start of a lease whose entry is due ({@code now - entry.sampledAt >= SAMPLE_EVERY_NANOS},
     * tested by the caller so the fast path makes no call): samples it, walking the borrower's stack.
     */
    void sample(PooledConnection entry, long lease, long now) {
        entry.sampledAt = now;
        entry.sampledLease = lease;
        entry.sampleSite = CallSite.ofCaller();
        entry.sampleWeight = entry.borrowCount - entry.borrowsAtSample;
        entry.borrowsAtSample = entry.borrowCount;
        entry.sampleStart = clock.nanoTime();
    }

    /** At the end of a lease that was sampled ({@code entry.sampledLease == lease}, tested by the caller): records its hold. */
    void recordSample(PooledConnection entry) {
        entry.sampledLease = -1;
        long end = clock.nanoTime();
        record(entry.sampleSite, entry.sampleWeight, end - entry.sampleStart, end);
    }

    void record(String siteName, long weight, long heldNanos, long now) {
        Site site = sites.get(siteName);
        if (site == null) {
            if (sites.size() >= MAX_SITES) {
                prune(now);
            }
            site = sites.size() < MAX_SITES ? sites.computeIfAbsent(siteName, s -> new Site())
                    : sites.computeIfAbsent(OTHER_SITES, s -> new Site());
        }
        site.add(minuteOf(now), TimeUnit.NANOSECONDS.toMicros(heldNanos), weight);
    }

    /** Every site with borrows in the last 5 minutes, the longest total hold first. */
    List<Holder> snapshot() {
        long minute = minuteOf(clock.nanoTime());
        List<Holder> holders = new ArrayList<>();
        SiteHoldTimes merged = new SiteHoldTimes();
        for (Map.Entry<String, Site> e : sites.entrySet()) {
            merged.clear();
            e.getValue().mergeInto(merged, minute);
            if (merged.count() > 0) {
                holders.add(new Holder(e.getKey(), merged.count(), new Holder.HeldMs(ms(merged.totalMicros()),
                        ms(merged.percentileMicros(0.5)), ms(merged.percentileMicros(0.99)), ms(merged.maxMicros()))));
            }
        }
        holders.sort(Comparator.comparingDouble((Holder h) -> h.heldMs().total()).reversed());
        return holders;
    }

    /**
     * Borrows and their total hold over the current minute and the one before (60 to 120 s, less
     * if the pool is younger), all sites together: the load {@link SizeAdvisor} sizes the pool by.
     * A hold counts in the minute it ended.
     */
    Window window() {
        long now = clock.nanoTime();
        long minute = minuteOf(now);
        long[] sums = new long[2];
        for (Site site : sites.values()) {
            site.addWindow(sums, minute);
        }
        long from = Math.max(startedAt, (minute - 1) * SLOT_NANOS);
        return new Window(sums[0], sums[1], now - from);
    }

    /** Borrows (estimated from the samples), their total hold in µs, and the window's length in ns. */
    record Window(long borrows, long heldMicros, long nanos) {
    }

    /** The top {@code n} holders for an error message: "site (total ms over n borrows)". */
    String describeTop(int n) {
        List<Holder> top = snapshot();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(n, top.size()); i++) {
            Holder h = top.get(i);
            text.append(i == 0 ? "" : ", ").append(h.site()).append(" held ").append(Math.round(h.heldMs().total()))
                    .append(" ms over ").append(h.borrows()).append(h.borrows() == 1 ? " borrow" : " borrows");
        }
        return text.toString();
    }

    private void prune(long now) {
        long minute = minuteOf(now);
        sites.values().removeIf(site -> site.isEmptySince(minute));
    }

    private static long minuteOf(long nanos) {
        return Math.floorDiv(nanos, SLOT_NANOS);
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    /** One site's five one-minute slots; slot {@code m % 5} holds minute {@code m}. */
    private static final class Site {

        private final long[] minutes = {Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE};
        private final SiteHoldTimes[] slots = new SiteHoldTimes[SLOTS];

        synchronized void add(long minute, long micros, long weight) {
            int i = (int) Math.floorMod(minute, SLOTS);
            if (slots[i] == null) {
                slots[i] = new SiteHoldTimes();
            }
            if (minutes[i] != minute) {
                slots[i].clear();
                minutes[i] = minute;
            }
            slots[i].add(micros, weight);
        }

        synchronized void mergeInto(SiteHoldTimes merged, long minute) {
            for (int i = 0; i < SLOTS; i++) {
                if (minutes[i] > minute - SLOTS && minutes[i] <= minute) {
                    merged.addAll(slots[i]);
                }
            }
        }

        /** Adds this minute's and the previous minute's borrows to {@code sums[0]}, their hold to {@code sums[1]}. */
        synchronized void addWindow(long[] sums, long minute) {
            for (int i = 0; i < SLOTS; i++) {
                if (minutes[i] == minute || minutes[i] == minute - 1) {
                    sums[0] += slots[i].count();
                    sums[1] += slots[i].totalMicros();
                }
            }
        }

        synchronized boolean isEmptySince(long minute) {
            for (long m : minutes) {
                if (m > minute - SLOTS) {
                    return false;
                }
            }
            return true;
        }
    }
}
