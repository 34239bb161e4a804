package dev.pool.sample.load;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/** A validated {@link LoadRequest}: the bounds keep a run from taking the machine down with it. */
record LoadPlan(int threads, Duration duration, Map<Operation, Integer> mix) {

    static final int MAX_THREADS = 64;
    static final int MAX_DURATION_SECONDS = 300;
    static final int MAX_WEIGHT = 1000;

    private static final int DEFAULT_THREADS = 20;
    private static final int DEFAULT_DURATION_SECONDS = 30;
    private static final Map<Operation, Integer> DEFAULT_MIX = Map.of(Operation.READ, 70, Operation.WRITE, 25,
            Operation.SLOW, 5);

    LoadPlan {
        mix = Collections.unmodifiableMap(new EnumMap<>(mix));
    }

    /** @throws IllegalArgumentException naming the field, the value and the rule */
    static LoadPlan from(LoadRequest request) {
        int threads = valueOrDefault(request.threads(), DEFAULT_THREADS);
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads = " + threads + ": must be between 1 and " + MAX_THREADS);
        }
        int seconds = valueOrDefault(request.durationSeconds(), DEFAULT_DURATION_SECONDS);
        if (seconds < 1 || seconds > MAX_DURATION_SECONDS) {
            throw new IllegalArgumentException(
                    "durationSeconds = " + seconds + ": must be between 1 and " + MAX_DURATION_SECONDS);
        }
        return new LoadPlan(threads, Duration.ofSeconds(seconds),
                (request.mix() != null) ? mix(request.mix()) : DEFAULT_MIX);
    }

    private static Map<Operation, Integer> mix(Map<String, Integer> weights) {
        Map<Operation, Integer> mix = new EnumMap<>(Operation.class);
        weights.forEach((key, weight) -> {
            Operation operation = Operation.ofKey(key).orElseThrow(() -> new IllegalArgumentException(
                    "mix." + key + ": unknown operation, use " + String.join(", ", keys())));
            if (weight == null || weight < 0 || weight > MAX_WEIGHT) {
                throw new IllegalArgumentException(
                        "mix." + key + " = " + weight + ": must be a weight between 0 and " + MAX_WEIGHT);
            }
            mix.put(operation, weight);
        });
        if (mix.values().stream().mapToInt(Integer::intValue).sum() == 0) {
            throw new IllegalArgumentException("mix = " + weights + ": at least one weight must be above 0");
        }
        return mix;
    }

    /** Draws an operation with the probability of its weight. */
    Operation pick(RandomGenerator random) {
        int total = mix.values().stream().mapToInt(Integer::intValue).sum();
        int draw = random.nextInt(total);
        for (Map.Entry<Operation, Integer> entry : mix.entrySet()) {
            draw -= entry.getValue();
            if (draw < 0) {
                return entry.getKey();
            }
        }
        throw new IllegalStateException("unreachable: the weights sum to " + total);
    }

    /** The mix as the request names it. */
    Map<String, Integer> mixByKey() {
        Map<String, Integer> byKey = new LinkedHashMap<>();
        mix.forEach((operation, weight) -> byKey.put(operation.key(), weight));
        return byKey;
    }

    private static int valueOrDefault(Integer value, int defaultValue) {
        return (value != null) ? value : defaultValue;
    }

    private static String[] keys() {
        return Arrays.stream(Operation.values()).map(Operation::key).toArray(String[]::new);
    }
}
