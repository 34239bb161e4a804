package dev.pool.benchmarks.load;

import dev.pool.PoolConfig;
import dev.pool.PoolDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * A pool as the overload scenario runs it: which pool, opened how, and how a request asks it for a
 * connection. The plain contenders are the load benchmark's pools ({@link LoadPool}) opened as in
 * every other cell, with the acquire timeout set to the request's budget, borrowing with
 * {@code getConnection()}: the pool's timeout bounds the wait, whatever the request has left.
 *
 * <p>A variant is one more entry in {@link #ALL}: a Pool with settings of its own ({@link #pool}), a
 * {@link Borrow} of its own, or both. Pool runs twice: {@code pool} without its overload protection
 * (early rejection off, {@code getConnection()} bounded by the wait timeout alone, as every peer) and
 * {@code pool-deadlines} with it (early rejection on, as it ships, and each request's remaining budget
 * passed to {@code getConnection(Duration)}).
 */
record OverloadContender(String optionName, String displayName, Opener opener, Borrow borrow) {

    /** Every contender {@code --pools} can name, in the default order. */
    static final List<OverloadContender> ALL = List.of(
            pool(LoadPool.POOL.optionName(), "Pool, no overload protection", config -> config.setEarlyRejection(false),
                    Borrow.WAIT_TIMEOUT),
            pool("pool-deadlines", "Pool, deadlines", config -> { }, Borrow.REMAINING_BUDGET),
            plain(LoadPool.HIKARI),
            plain(LoadPool.AGROAL),
            plain(LoadPool.DBCP2));

    /** How a request asks a pool for a connection, given what is left of its budget. */
    @FunctionalInterface
    interface Borrow {

        /** {@code remaining} may be zero or negative: the request was started after its budget ran out. */
        Connection borrow(DataSource pool, Duration remaining) throws SQLException;

        /** {@code getConnection()}: the pool's acquire timeout (set to the budget) bounds the wait. */
        Borrow WAIT_TIMEOUT = (pool, remaining) -> pool.getConnection();

        /** Pool's {@code getConnection(Duration)} with what is left of the budget (0 if nothing). */
        Borrow REMAINING_BUDGET = (pool, remaining) -> ((PoolDataSource) pool).getConnection(remaining.isNegative() ? Duration.ZERO : remaining);
    }

    /**
     * Opens the pool: {@code size} connections named {@code applicationName}, all of them open before
     * it returns, and {@code waitTimeout} as the longest a borrower waits.
     */
    @FunctionalInterface
    interface Opener {

        DataSource open(Database database, String applicationName, int size, Duration waitTimeout) throws SQLException;
    }

    /** A load benchmark pool as every cell opens it, borrowing with {@code getConnection()}. */
    static OverloadContender plain(LoadPool pool) {
        return new OverloadContender(pool.optionName(), pool.displayName(), pool::open, Borrow.WAIT_TIMEOUT);
    }

    /**
     * Pool with the shared settings ({@link LoadPool#poolConfig}) changed by {@code tuning}, borrowing
     * with {@code borrow}: the hook for measuring Pool's own overload features side by side with the
     * plain pools.
     */
    static OverloadContender pool(String optionName, String displayName, Consumer<PoolConfig> tuning, Borrow borrow) {
        Opener opener = (database, applicationName, size, waitTimeout) -> {
            PoolConfig config = LoadPool.poolConfig(database, applicationName, size, waitTimeout);
            tuning.accept(config);
            return LoadPool.filled(new PoolDataSource(config), size);
        };
        return new OverloadContender(optionName, displayName, opener, borrow);
    }

    static OverloadContender named(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return ALL.stream()
                .filter(contender -> contender.optionName().equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown pool '" + name + "'; the pools are "
                        + String.join(", ", ALL.stream().map(OverloadContender::optionName).toList())));
    }

    DataSource open(Database database, String applicationName, int size, Duration waitTimeout) throws SQLException {
        return opener.open(database, applicationName, size, waitTimeout);
    }

    @Override
    public String toString() {
        return displayName;
    }
}
