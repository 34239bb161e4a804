package dev.pool.sample.load;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.http.ProblemDetail;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * One load run: {@code threads} workers that each call {@link #work} and loop until the run's
 * duration is over or {@link #stop} is called. The last worker to leave marks the run finished, so
 * {@link #isRunning} turns false only once no request of the run is in flight.
 */
final class LoadRun {

    private final LoadPlan plan;
    private final LoadClient client;
    private final Instant startedAt = Instant.now();
    private final long deadlineNanos;
    private final Map<Operation, Tally> tallies = new EnumMap<>(Operation.class);
    private final AtomicInteger workersLeft;
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean stopRequested;
    private volatile Instant finishedAt;
    private volatile String lastError;

    LoadRun(LoadPlan plan, LoadClient client) {
        this.plan = plan;
        this.client = client;
        this.deadlineNanos = System.nanoTime() + plan.duration().toNanos();
        this.workersLeft = new AtomicInteger(plan.threads());
        for (Operation operation : Operation.values()) {
            tallies.put(operation, new Tally());
        }
    }

    /** One worker's loop. */
    void work() {
        try {
            while (!stopRequested && !Thread.currentThread().isInterrupted() && System.nanoTime() < deadlineNanos) {
                Operation operation = plan.pick(ThreadLocalRandom.current());
                Tally tally = tallies.get(operation);
                try {
                    client.perform(operation, "load-" + startedAt.toEpochMilli() + "-" + sequence.incrementAndGet());
                    tally.ok.increment();
                } catch (RestClientException e) {
                    tally.failed.increment();
                    lastError = operation.key() + ": " + describe(e);
                    if (e instanceof ResourceAccessException) {
                        pause(); // the app is not answering at all (shutting down?): no busy loop
                    }
                }
            }
        } finally {
            if (workersLeft.decrementAndGet() == 0) {
                finishedAt = Instant.now();
            }
        }
    }

    /** Asks the workers to stop after their current request. */
    void stop() {
        stopRequested = true;
    }

    boolean isRunning() {
        return finishedAt == null;
    }

    LoadStatus status() {
        Instant end = (finishedAt != null) ? finishedAt : Instant.now();
        Map<String, LoadStatus.Requests> requests = new LinkedHashMap<>();
        tallies.forEach((operation, tally) -> requests.put(operation.key(),
                new LoadStatus.Requests(tally.ok.sum(), tally.failed.sum())));
        double elapsed = Duration.between(startedAt, end).toMillis() / 1000.0;
        return new LoadStatus(isRunning(), plan.threads(), plan.duration().toSeconds(), plan.mixByKey(), startedAt,
                finishedAt, elapsed, isRunning() ? Math.max(0, plan.duration().toSeconds() - elapsed) : 0, requests,
                requests.values().stream().mapToLong(LoadStatus.Requests::ok).sum(),
                requests.values().stream().mapToLong(LoadStatus.Requests::failed).sum(), lastError);
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The status and, for the app's own errors, the detail of its problem response. */
    private static String describe(RestClientException e) {
        if (e instanceof RestClientResponseException response) {
            return response.getStatusCode().value() + " " + detail(response);
        }
        return e.getMessage();
    }

    private static String detail(RestClientResponseException response) {
        try {
            ProblemDetail problem = response.getResponseBodyAs(ProblemDetail.class);
            if (problem != null && problem.getDetail() != null) {
                return problem.getDetail();
            }
        } catch (RuntimeException notAProblem) {
            // a body that is no problem detail: the status text says enough
        }
        return response.getStatusText();
    }

    private static final class Tally {

        final LongAdder ok = new LongAdder();
        final LongAdder failed = new LongAdder();
    }
}
