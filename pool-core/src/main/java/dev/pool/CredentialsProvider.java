package dev.pool;

import java.sql.SQLException;

/**
 * Where the pool gets the user name and password for each new physical connection, instead of
 * the fixed {@code username} and {@code password}: for credentials that rotate while the
 * application runs (Vault dynamic secrets, cloud IAM tokens). The pool asks it before every
 * physical connect and keeps nothing it returns, so a rotated password is used from the next
 * connect on, and connections already open stay open. Set it with
 * {@link PoolConfig#setCredentialsProvider}; with the Spring Boot starter, declare a bean of this
 * type.
 *
 * <p>It is called on one of the pool's worker threads, never on a borrower's, possibly by several
 * at once. A provider that fetches from a remote service should cache what it fetched for as long
 * as it is valid: the pool asks for every connect it opens. The pool never logs what it returns.
 *
 * <pre>{@code
 * config.setCredentialsProvider(() -> new Credentials("app", vault.currentPassword("app")));
 * }</pre>
 */
@FunctionalInterface
public interface CredentialsProvider {

    /**
     * The credentials for the connect about to be made.
     *
     * @return the user name (or {@code null} for the pool's {@code username}) and password
     * @throws SQLException if there are none to be had now: the connect fails with it and is
     *         retried as any failed connect is. A runtime exception is treated the same way.
     */
    Credentials credentials() throws SQLException;
}
