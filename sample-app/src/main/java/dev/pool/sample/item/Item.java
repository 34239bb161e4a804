package dev.pool.sample.item;

import java.time.OffsetDateTime;

/** A row of {@code items}. */
public record Item(long id, String name, int quantity, OffsetDateTime createdAt) {
}
