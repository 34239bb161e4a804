package dev.pool.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OverloadTallyTest {

    private static final Duration BUDGET = Duration.ofMillis(300);

    @Test
    void servedAtTheBudgetIsInTimeOneNanosecondLaterIsLate() {
        OverloadTally tally = new OverloadTally(BUDGET);
        tally.arrived(true);
        tally.arrived(true);

        tally.served(true, BUDGET.toNanos());
        tally.served(true, BUDGET.toNanos() + 1);

        assertThat(tally.offered()).isEqualTo(2);
        assertThat(tally.servedInBudget()).isEqualTo(1);
        assertThat(tally.servedLate()).isEqualTo(1);
    }

    @Test
    void countsOnlyMeasuredRequestsButEveryThreadInThePeaks() {
        OverloadTally tally = new OverloadTally(BUDGET);
        tally.arrived(false);
        tally.waiting(false);
        tally.arrived(true);
        tally.waiting(true);

        tally.failed(false, 300_000_000, new SQLTransientConnectionException("timed out", "08001"));
        tally.failed(true, 301_000_000, new SQLTransientConnectionException("timed out", "08001"));
        tally.served(false, 1_000_000);

        assertThat(tally.offered()).isEqualTo(1);
        assertThat(tally.failed()).isEqualTo(1);
        assertThat(tally.servedInBudget() + tally.servedLate()).isZero();
        assertThat(tally.errors()).containsExactly(java.util.Map.entry("SQLTransientConnectionException 08001", 1L));
        assertThat(tally.failureNanos().getTotalCount()).isEqualTo(1);
        assertThat(tally.peakWaiting()).isEqualTo(2);
        assertThat(tally.peakAlive()).isEqualTo(2);
    }

    @Test
    void drainsWhenTheLastRequestFinishesAfterTheDispatchEnds() throws InterruptedException {
        OverloadTally tally = new OverloadTally(BUDGET);
        tally.arrived(true);
        tally.dispatchDone();

        assertThat(tally.awaitDrained(Duration.ZERO)).isFalse();
        tally.finished();
        assertThat(tally.awaitDrained(Duration.ZERO)).isTrue();
    }

    @Test
    void drainsWhenTheDispatchEndsAfterTheLastRequestFinished() throws InterruptedException {
        OverloadTally tally = new OverloadTally(BUDGET);
        tally.arrived(true);
        tally.finished();

        assertThat(tally.awaitDrained(Duration.ZERO)).isFalse();
        tally.dispatchDone();
        assertThat(tally.awaitDrained(Duration.ZERO)).isTrue();
    }
}
