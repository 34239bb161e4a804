package dev.pool.sample.trouble;

import dev.pool.sample.trouble.ConnectionLeaker.Leak;
import dev.pool.sample.trouble.ConnectionLeaker.TooManyLeaksException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Endpoints that misuse the pool on purpose, so its defences can be watched at work. */
@RestController
class TroubleController {

    private static final int MAX_SLEEP_SECONDS = 10;

    private static final int MAX_DEPTH = 100;

    private final SlowQueries slowQueries;
    private final ConnectionLeaker leaker;
    private final NestedTransactions nested;

    TroubleController(SlowQueries slowQueries, ConnectionLeaker leaker, NestedTransactions nested) {
        this.slowQueries = slowQueries;
        this.leaker = leaker;
        this.nested = nested;
    }

    /** Holds a connection for {@code seconds} in a slow query. */
    @GetMapping("/slow")
    SlowQueryResult slow(@RequestParam(defaultValue = "2") double seconds) {
        if (!(seconds > 0 && seconds <= MAX_SLEEP_SECONDS)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "seconds must be more than 0 and at most " + MAX_SLEEP_SECONDS);
        }
        long start = System.nanoTime();
        int backendPid = slowQueries.sleep(Duration.ofMillis(Math.round(seconds * 1000)));
        return new SlowQueryResult(backendPid, (System.nanoTime() - start) / 1_000_000);
    }

    /** Leaks one connection; see {@link ConnectionLeaker}. */
    @PostMapping("/leak")
    @ResponseStatus(HttpStatus.CREATED)
    LeakView leak() throws SQLException {
        return LeakView.of(leaker.leak());
    }

    /** The recent leaks, newest first, and whether the pool has reclaimed them yet. */
    @GetMapping("/leak")
    List<LeakView> leaks() {
        return leaker.leaks().stream().map(LeakView::of).toList();
    }

    /**
     * Opens {@code depth} {@code REQUIRES_NEW} transactions one inside another; see
     * {@link NestedTransactions}. Deeper than the pool is big, the pool fails it at once as a deadlock
     * (503 with the pool's message, by {@code NoConnectionAdvice}).
     */
    @PostMapping("/nested")
    NestedResult nested(@RequestParam(defaultValue = "20") int depth) {
        if (depth < 1 || depth > MAX_DEPTH) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "depth must be 1 to " + MAX_DEPTH);
        }
        return new NestedResult(nested.nest(depth));
    }

    @ExceptionHandler(TooManyLeaksException.class)
    ProblemDetail tooManyLeaks(TooManyLeaksException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    record NestedResult(int depth) {
    }

    record SlowQueryResult(int backendPid, long tookMs) {
    }

    /**
     * @param nextCallFails once reclaimed: the exception message the leaking code gets on its next call
     */
    record LeakView(int backendPid, Instant leakedAt, long heldMs, boolean reclaimed, String nextCallFails) {

        static LeakView of(Leak leak) {
            return new LeakView(leak.backendPid(), leak.leakedAt(), leak.age().toMillis(), leak.reclaimed(),
                    leak.nextCallFails());
        }
    }
}
