package dev.pool.test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * {@code getConnection()} on a thread of its own, for a test whose own thread holds connections of
 * the same pool: asked on the holding thread, with every connection held, the pool would fail it at
 * once as a pool deadlock (SPEC "Overload protection") instead of letting it wait out its timeout.
 */
public final class OtherThread {

    private OtherThread() {
    }

    /** The connection, or what {@code getConnection()} threw there; waits up to a minute for it. */
    public static Connection getConnection(DataSource pool) throws SQLException {
        CompletableFuture<Connection> borrowed = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                borrowed.complete(pool.getConnection());
            } catch (Throwable e) {
                borrowed.completeExceptionally(e);
            }
        }, "other-thread-borrower");
        thread.setDaemon(true);
        thread.start();
        try {
            return borrowed.get(1, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("getConnection() on another thread did not end", e);
        }
    }
}
