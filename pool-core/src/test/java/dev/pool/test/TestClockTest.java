package dev.pool.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TestClockTest {

    @Test
    void movesOnlyWhenAdvanced() {
        TestClock clock = new TestClock();
        long start = clock.nanoTime();

        assertThat(clock.nanoTime()).isEqualTo(start);
        clock.advance(Duration.ofMinutes(10));

        assertThat(clock.nanoTime() - start).isEqualTo(Duration.ofMinutes(10).toNanos());
        assertThat(clock.elapsedSince(start)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void refusesToGoBack() {
        assertThatThrownBy(() -> new TestClock().advance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
