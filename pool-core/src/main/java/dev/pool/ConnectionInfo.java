package dev.pool;

/**
 * One open connection as the pool sees it, for the endpoint and diagnostics.
 *
 * @param state       {@code active} (lent out, or in the pool's hands) or {@code idle}
 * @param ageMs       since the physical connection was opened
 * @param borrowCount times it has been lent
 * @param heldMs      for an active one: since it was lent; null when idle
 * @param lastUsedMs  for an active one: since its last JDBC call (to within a housekeeping period); null when idle
 * @param thread      for an active one: the borrowing thread's name; null when idle
 * @param stack       for an active one, when leak detection or abandonment is on: where it was borrowed
 * @param pid         the server's process id for this connection (PostgreSQL's backend pid, as
 *                    {@code pg_stat_activity.pid} shows it); null where the driver does not say
 */
public record ConnectionInfo(String state, long ageMs, long borrowCount, Long heldMs, Long lastUsedMs, String thread, String stack,
        Integer pid) {
}
