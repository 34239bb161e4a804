package dev.pool.sample.item;

/** The body of {@code POST /items}. */
public record NewItem(String name, int quantity) {
}
