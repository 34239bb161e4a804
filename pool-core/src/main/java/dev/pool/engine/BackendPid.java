package dev.pool.engine;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The server's process id for a physical connection, where the driver tells it: PostgreSQL's
 * {@code PGConnection.getBackendPID()}, so an operator can join the endpoint's connections with
 * {@code pg_stat_activity}. Found by reflection, through {@code unwrap} when a proxy sits between,
 * so the pool needs no compile dependency on pgjdbc; read once, when the connection is opened.
 */
final class BackendPid {

    private static final String PG_CONNECTION = "org.postgresql.PGConnection";

    private BackendPid() {
    }

    /** The backend pid, or null if the driver is not PostgreSQL's or does not say. Never throws. */
    static Integer of(Connection raw) {
        if (raw == null) {
            return null;
        }
        for (ClassLoader loader : new ClassLoader[] {raw.getClass().getClassLoader(), Thread.currentThread().getContextClassLoader(),
                BackendPid.class.getClassLoader()}) {
            try {
                Class<?> pg = Class.forName(PG_CONNECTION, false, loader);
                if (!raw.isWrapperFor(pg)) {
                    return null;
                }
                Method getBackendPid = pg.getMethod("getBackendPID");
                Object pid = getBackendPid.invoke(raw.unwrap(pg));
                return pid instanceof Integer value && value != 0 ? value : null;
            } catch (ClassNotFoundException e) {
                // not visible from this loader: try the next
            } catch (ReflectiveOperationException | LinkageError | SQLException | RuntimeException e) {
                return null;
            }
        }
        return null;
    }
}
