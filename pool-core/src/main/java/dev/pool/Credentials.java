package dev.pool;

/**
 * A user name and password for one physical connect, as a {@link CredentialsProvider} hands them
 * out. {@link #toString()} masks the password, so a credentials object that ends up in a log
 * message or an exception leaks nothing.
 *
 * @param username the user to connect as; {@code null} for the pool's {@code username}
 * @param password the password; {@code null} to connect without one
 */
public record Credentials(String username, String password) {

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=" + (password == null ? "null" : "******") + "]";
    }
}
