package dev.pool.sample.load;

import java.util.Map;

/**
 * The body of {@code POST /load}; a missing field takes its default.
 *
 * @param threads         concurrent clients, 1 to 64 (default 20)
 * @param durationSeconds how long the run lasts, 1 to 300 (default 30)
 * @param mix             relative weights of the operations {@code read}, {@code write} and
 *                        {@code slow} (default 70/25/5)
 */
public record LoadRequest(Integer threads, Integer durationSeconds, Map<String, Integer> mix) {
}
