package dev.pool.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ArrivalsTest {

    @Test
    void uniformArrivalsAreEvenlySpacedWithoutDrift() {
        Arrivals arrivals = new Arrivals(Arrivals.Process.UNIFORM, 3, 1);

        assertThat(arrivals.next()).isEqualTo(333_333_333);
        assertThat(arrivals.next()).isEqualTo(666_666_666);
        assertThat(arrivals.next()).isEqualTo(1_000_000_000);
    }

    @Test
    void poissonArrivalsKeepTheMeanRateAndTheSameSeedGivesTheSameTimes() {
        Arrivals arrivals = new Arrivals(Arrivals.Process.POISSON, 1000, 7);
        Arrivals again = new Arrivals(Arrivals.Process.POISSON, 1000, 7);
        long last = 0;
        int count = 100_000;
        for (int i = 0; i < count; i++) {
            long next = arrivals.next();
            assertThat(next).isGreaterThanOrEqualTo(last).isEqualTo(again.next());
            last = next;
        }
        // 100,000 exponential gaps of mean 1 ms: the total is within 1% of 100 s (7 standard deviations)
        assertThat(last / 1e9).isCloseTo(100.0, within(1.0));
    }

    @Test
    void rejectsARateOfNothing() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Arrivals(Arrivals.Process.POISSON, 0, 1))
                .withMessageContaining("more than 0");
    }
}
