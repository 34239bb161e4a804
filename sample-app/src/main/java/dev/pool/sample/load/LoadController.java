package dev.pool.sample.load;

import dev.pool.sample.load.LoadGenerator.LoadAlreadyRunningException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The built-in load generator: {@code POST /load} starts a run ({@link LoadRequest}; no body: the
 * defaults), {@code GET /load} shows it, {@code DELETE /load} ends it early. One run at a time.
 */
@RestController
@RequestMapping("/load")
class LoadController {

    private final LoadGenerator generator;

    LoadController(LoadGenerator generator) {
        this.generator = generator;
    }

    @PostMapping
    ResponseEntity<LoadStatus> start(@RequestBody(required = false) LoadRequest request) {
        LoadPlan plan;
        try {
            plan = LoadPlan.from((request != null) ? request : new LoadRequest(null, null, null));
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        return ResponseEntity.accepted().location(URI.create("/load")).body(generator.start(plan).status());
    }

    /** The running run, else the last one; 204 before the first. */
    @GetMapping
    ResponseEntity<LoadStatus> status() {
        return generator.current()
                .map((run) -> ResponseEntity.ok(run.status()))
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    /** Asks the running run to stop; it is over once {@code running} turns false. */
    @DeleteMapping
    ResponseEntity<LoadStatus> stop() {
        generator.stop();
        return status();
    }

    @ExceptionHandler(LoadAlreadyRunningException.class)
    ProblemDetail alreadyRunning(LoadAlreadyRunningException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setProperty("run", e.running());
        return problem;
    }
}
