package dev.pool.benchmarks;

import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One pool, shared by all benchmark threads for a whole trial. Its two sizes are the two shapes the
 * benchmarks measure: {@link Uncontended} has more connections than threads, {@link Contended}
 * fewer, so threads queue for them.
 */
@State(Scope.Benchmark)
public abstract class PoolState {

    @Param({"pool", "pool_untracked", "hikari", "agroal", "dbcp2", "nopool"})
    public String pool;

    public DataSource dataSource;

    /** The pool's maximum (and minimum) number of connections. */
    protected abstract int maxSize();

    @Setup(Level.Trial)
    public void open() throws Exception {
        dataSource = PoolUnderTest.named(pool).open(maxSize());
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        PoolUnderTest.close(dataSource);
    }

    /** 16 connections: with 1 or 8 threads a connection is always free. */
    public static class Uncontended extends PoolState {

        @Override
        protected int maxSize() {
            return 16;
        }
    }

    /** 8 connections for 32 threads: most borrows wait for another thread's return. */
    public static class Contended extends PoolState {

        @Override
        protected int maxSize() {
            return 8;
        }
    }
}
