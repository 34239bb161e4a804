package dev.pool;

/**
 * The pool could not open its {@code initial-size} connections while {@code initialization-fail-fast}
 * is on. The cause is the driver's error.
 */
public class PoolInitializationException extends RuntimeException {

    public PoolInitializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
