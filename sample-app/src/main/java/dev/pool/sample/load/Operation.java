package dev.pool.sample.load;

import java.util.Arrays;
import java.util.Optional;

/** What one request of a load run does; each is a call to one of the app's own endpoints. */
enum Operation {

    /** {@code GET /items?limit=20}: a short read-only transaction. */
    READ("read"),
    /** {@code POST /items}: an insert and its event row, in one transaction. */
    WRITE("write"),
    /** {@code GET /slow?seconds=1}: holds a connection for a second. */
    SLOW("slow");

    private final String key;

    Operation(String key) {
        this.key = key;
    }

    /** The name in {@code mix} and in the run's status. */
    String key() {
        return key;
    }

    static Optional<Operation> ofKey(String key) {
        return Arrays.stream(values()).filter((operation) -> operation.key.equals(key)).findFirst();
    }
}
