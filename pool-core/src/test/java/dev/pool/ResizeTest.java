package dev.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code resize(minIdle, maxSize)} changes every rule that depends on the sizes: {@code max-idle},
 * when not set, follows {@code max-size}; one that is set is checked against the new
 * {@code min-idle}.
 */
class ResizeTest {

    @RegisterExtension
    final StubPools pools = new StubPools();

    @Test
    void maxIdleFollowsAGrownMaxSize() throws SQLException {
        PoolDataSource pool = pools.create(c -> c.setMaxSize(2));
        pool.resize(0, 6);
        borrowAndReturn(pool, 6);
        assertThat(pool.stats().idle()).isEqualTo(6);
        assertThat(pool.stats().evictions()).containsEntry(EvictionReason.MAX_IDLE, 0L);
    }

    @Test
    void maxIdleFollowsAShrunkMaxSize() throws SQLException {
        PoolDataSource pool = pools.create(c -> c.setMaxSize(6));
        List<Connection> held = borrow(pool, 6);
        pool.resize(0, 2);
        for (Connection c : held) {
            c.close();
        }
        assertThat(pool.stats().idle()).isEqualTo(2);
        assertThat(pool.stats().total()).isEqualTo(2);
    }

    @Test
    void minIdleAboveTheOldMaxSizeIsKeptWithoutChurn() throws SQLException {
        PoolDataSource pool = pools.create(c -> c.setMaxSize(2));
        pool.resize(4, 6);
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().idle() == 4);
        for (int round = 0; round < 5; round++) {
            borrowAndReturn(pool, 4);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().idle() == 4);
        assertThat(pool.stats().evictionsTotal()).isZero();
        assertThat(pool.stats().created()).isLessThanOrEqualTo(6); // min-idle refills while all 4 are out, never a churn
    }

    @Test
    void anExplicitMaxIdleIsCheckedAgainstTheNewMinIdle() throws SQLException {
        PoolDataSource pool = pools.create(c -> {
            c.setMaxSize(4);
            c.setMaxIdle(2);
        });
        assertThatThrownBy(() -> pool.resize(3, 6)).isInstanceOf(PoolConfigException.class)
                .hasMessageContaining("pool.min-idle = 3").hasMessageContaining("pool.max-idle (2)");
        assertThat(pool.getMinIdle()).isZero();
        assertThat(pool.stats().maxSize()).isEqualTo(4);

        pool.resize(2, 8); // within max-idle: allowed
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().idle() == 2);
        pool.resize(0, 8); // an explicit max-idle stays as it was: returns above 2 idle are closed
        pool.evictIdle();
        borrowAndReturn(pool, 5);
        assertThat(pool.stats().idle()).isEqualTo(2);
        assertThat(pool.stats().evictions()).containsEntry(EvictionReason.MAX_IDLE, 3L);
        assertThat(pool.stats().total()).isEqualTo(2);
    }

    private static List<Connection> borrow(PoolDataSource pool, int n) throws SQLException {
        List<Connection> held = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            held.add(pool.getConnection());
        }
        return held;
    }

    private static void borrowAndReturn(PoolDataSource pool, int n) throws SQLException {
        for (Connection c : borrow(pool, n)) {
            c.close();
        }
    }
}
