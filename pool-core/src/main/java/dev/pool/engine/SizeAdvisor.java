package dev.pool.engine;

import dev.pool.Advice;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Suggests a {@code max-size} from the load of the last window, by Little's law: connections in use
 * on average {@code L = λ × W}, borrows a second times the mean hold, which is simply the window's
 * total hold time over its length. Averages hide bursts, so the suggestion adds the square-root
 * headroom of the Halfin-Whitt staffing rule, {@code L + 2√L}: with borrows arriving at random,
 * that many connections make about 3% of borrows wait, whatever the load (the headroom grows with
 * the root of the load, not in proportion, because bursts of a larger load are smaller relative to
 * it). Bounds: at least 2 (so one slow borrower cannot make everyone wait), and at most double the
 * current {@code max-size} in one step, since a full pool hides how much more it would be asked
 * for: resize, watch, ask again.
 *
 * <p>A pure function of its inputs, so it is tested with fixed numbers; {@link Holders#window()}
 * supplies them.
 */
final class SizeAdvisor {

    /** The {@code 2} of {@code L + 2√L}: about 3% of borrows wait. */
    static final double HEADROOM = 2.0;
    static final int MIN_SUGGESTION = 2;
    /** Above this share of {@code max-size} in use on average, the pool was nearly full and demand may be higher. */
    static final double NEARLY_FULL = 0.8;

    private SizeAdvisor() {
    }

    /**
     * @param window  borrows and total hold time over the last window, and its length
     * @param maxSize the pool's {@code max-size} now
     */
    static Advice advise(Holders.Window window, int maxSize) {
        double seconds = window.nanos() / 1e9;
        if (window.borrows() == 0 || seconds <= 0) {
            return new Advice(maxSize, String.format(Locale.ROOT,
                    "No borrows in the last %.0f s: nothing to size by; max-size stays %d.", seconds, maxSize));
        }
        double rate = window.borrows() / seconds;
        double meanHoldMs = window.heldMicros() / 1000.0 / window.borrows();
        double inUse = window.heldMicros() / (double) TimeUnit.NANOSECONDS.toMicros(window.nanos());
        // to two decimals, as the reasoning shows it: 4.004 suggests 4, not 5
        double target = Math.round((inUse + HEADROOM * Math.sqrt(inUse)) * 100) / 100.0;
        int cap = Math.max(MIN_SUGGESTION, 2 * maxSize);
        int suggested = Math.min(cap, Math.max(MIN_SUGGESTION, (int) Math.ceil(target)));

        StringBuilder why = new StringBuilder(String.format(Locale.ROOT,
                "Over the last %.0f s: %d borrows (%.1f/s) held a connection %.1f ms on average, so by Little's law "
                        + "%.1f/s x %.3f s = %.2f connections were in use on average. With headroom for bursts "
                        + "(L + 2 sqrt(L) = %.2f, so about 3%% of borrows would wait), max-size %d would do",
                seconds, window.borrows(), rate, meanHoldMs, rate, meanHoldMs / 1000, inUse, target, suggested));
        if (suggested == cap && cap < Math.ceil(target)) {
            why.append(" (at most double the current max-size in one step)");
        } else if (suggested == MIN_SUGGESTION && target < MIN_SUGGESTION) {
            why.append(" (at least 2, so one slow borrower cannot make everyone wait)");
        }
        why.append("; it is ").append(maxSize).append(" now.");
        if (maxSize > 0 && inUse >= NEARLY_FULL * maxSize) {
            why.append(String.format(Locale.ROOT, " The pool was nearly full (%.0f%% of max-size in use on average), "
                    + "so callers waited and the demand may be higher than measured: resize and ask again.", 100 * inUse / maxSize));
        }
        return new Advice(suggested, why.toString());
    }
}
