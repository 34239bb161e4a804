package dev.pool.engine;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * What PostgreSQL's driver knows of one physical connection without asking the server: its backend
 * process id (so an operator can join the endpoint's connections with {@code pg_stat_activity}) and
 * whether a transaction is open (so a return rolls back, and counts a rollback, only when one is).
 * Both come from pgjdbc's {@code org.postgresql.core.BaseConnection}, reached by reflection, through
 * {@code unwrap} when a proxy sits between, so the pool has no compile dependency on pgjdbc.
 *
 * <p>One per connection, found when it is opened; for any other driver it is {@link #NONE}, which
 * knows nothing. The methods are looked up once per connection class.
 */
final class PostgresDriver {

    static final PostgresDriver NONE = new PostgresDriver(null, null, null);

    private static final String BASE_CONNECTION = "org.postgresql.core.BaseConnection";

    /** pgjdbc's interface and its two methods as the loader of a connection class sees them; null if it cannot. */
    private static final ClassValue<Methods> METHODS = new ClassValue<>() {
        @Override
        protected Methods computeValue(Class<?> type) {
            for (ClassLoader loader : new ClassLoader[] {type.getClassLoader(), Thread.currentThread().getContextClassLoader(),
                    PostgresDriver.class.getClassLoader()}) {
                try {
                    Class<?> base = Class.forName(BASE_CONNECTION, false, loader);
                    return new Methods(base, base.getMethod("getBackendPID"), base.getMethod("getTransactionState"));
                } catch (ClassNotFoundException e) {
                    // not visible from this loader: try the next
                } catch (ReflectiveOperationException | LinkageError e) {
                    return null;
                }
            }
            return null;
        }
    };

    /** pgjdbc's connection (the unwrapped one), or null. */
    private final Object connection;
    private final Integer backendPid;
    private final Method transactionState;

    private PostgresDriver(Object connection, Integer backendPid, Method transactionState) {
        this.connection = connection;
        this.backendPid = backendPid;
        this.transactionState = transactionState;
    }

    /** What the driver of {@code raw} tells; {@link #NONE} if it is not PostgreSQL's. Never throws. */
    static PostgresDriver of(Connection raw) {
        if (raw == null) {
            return NONE;
        }
        try {
            Methods methods = METHODS.get(raw.getClass());
            if (methods == null || !raw.isWrapperFor(methods.base())) {
                return NONE;
            }
            Object pg = raw.unwrap(methods.base());
            Object pid = methods.backendPid().invoke(pg);
            return new PostgresDriver(pg, pid instanceof Integer value && value != 0 ? value : null, methods.transactionState());
        } catch (ReflectiveOperationException | LinkageError | SQLException | RuntimeException e) {
            return NONE;
        }
    }

    /** The server's process id for this connection ({@code pg_backend_pid()}); null where the driver does not say. */
    Integer backendPid() {
        return backendPid;
    }

    /**
     * Whether a transaction is open on the connection (pgjdbc's {@code OPEN} or {@code FAILED}), as
     * the driver last heard from the server; null where the driver does not say.
     */
    Boolean inTransaction() {
        if (transactionState == null) {
            return null;
        }
        try {
            Object state = transactionState.invoke(connection);
            return state instanceof Enum<?> e ? !e.name().equals("IDLE") : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private record Methods(Class<?> base, Method backendPid, Method transactionState) {
    }
}
