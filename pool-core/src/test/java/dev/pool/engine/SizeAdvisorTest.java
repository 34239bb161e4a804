package dev.pool.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.Advice;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Little's law with fixed numbers: L = total hold / window, suggestion = ceil(L + 2 sqrt(L)) within its bounds. */
class SizeAdvisorTest {

    private static Holders.Window window(long borrows, double meanHoldMs, long seconds) {
        return new Holders.Window(borrows, Math.round(borrows * meanHoldMs * 1000), TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void suggestsLittlesLawWithSquareRootHeadroom() {
        // 100 borrows a second, each held 50 ms: 5 in use on average; 5 + 2 sqrt(5) = 9.47
        Advice advice = SizeAdvisor.advise(window(6000, 50, 60), 20);

        assertThat(advice.suggestedMaxSize()).isEqualTo(10);
        assertThat(advice.why()).isEqualTo("Over the last 60 s: 6000 borrows (100.0/s) held a connection 50.0 ms on average, "
                + "so by Little's law 100.0/s x 0.050 s = 5.00 connections were in use on average. With headroom for bursts "
                + "(L + 2 sqrt(L) = 9.47, so about 3% of borrows would wait), max-size 10 would do; it is 20 now.");
    }

    @Test
    void aQuietPoolIsStillGivenTwo() {
        // one borrow a second, held 1 ms: 0.001 in use
        Advice advice = SizeAdvisor.advise(window(60, 1, 60), 10);

        assertThat(advice.suggestedMaxSize()).isEqualTo(2);
        assertThat(advice.why()).contains("0.00 connections were in use", "max-size 2 would do (at least 2,");
    }

    @Test
    void aNearlyFullPoolIsToldDemandMayBeHigher() {
        // 95 borrows a second held 100 ms: 9.5 of 10 in use; 9.5 + 2 sqrt(9.5) = 15.7
        Advice advice = SizeAdvisor.advise(window(9500, 100, 100), 10);

        assertThat(advice.suggestedMaxSize()).isEqualTo(16);
        assertThat(advice.why()).contains("max-size 16 would do; it is 10 now.",
                "The pool was nearly full (95% of max-size in use on average)");
    }

    @Test
    void neverMoreThanDoubleInOneStep() {
        // 2.9 of 3 in use: 2.9 + 2 sqrt(2.9) = 6.3, capped at 6
        Advice advice = SizeAdvisor.advise(window(290, 1000, 100), 3);

        assertThat(advice.suggestedMaxSize()).isEqualTo(6);
        assertThat(advice.why()).contains("max-size 6 would do (at most double the current max-size in one step); it is 3 now.");
    }

    @Test
    void roundsTheTargetAsItShowsIt() {
        // 1.53 in use: 1.53 + 2 sqrt(1.53) = 4.004, shown as 4.00: 4, not 5
        Advice advice = SizeAdvisor.advise(window(1530, 1000, 1000), 10);

        assertThat(advice.suggestedMaxSize()).isEqualTo(4);
        assertThat(advice.why()).contains("(L + 2 sqrt(L) = 4.00,", "max-size 4 would do; it is 10 now.");
    }

    @Test
    void noBorrowsKeepTheCurrentSize() {
        Advice advice = SizeAdvisor.advise(window(0, 0, 90), 7);

        assertThat(advice).isEqualTo(new Advice(7, "No borrows in the last 90 s: nothing to size by; max-size stays 7."));
    }
}
