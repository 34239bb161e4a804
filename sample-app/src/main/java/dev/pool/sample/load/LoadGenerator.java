package dev.pool.sample.load;

import java.util.Optional;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Starts load runs against the app itself, one at a time. Each run has its own platform threads,
 * daemons named {@code load-N}, which end by themselves when the run's duration is over.
 */
@Component
class LoadGenerator {

    private final Environment environment;
    private LoadClient client; // guarded by this, made on the first run, once the server's port is known
    private LoadRun current; // guarded by this

    LoadGenerator(Environment environment) {
        this.environment = environment;
    }

    /** @throws LoadAlreadyRunningException while the previous run has requests in flight */
    synchronized LoadRun start(LoadPlan plan) {
        if (current != null && current.isRunning()) {
            throw new LoadAlreadyRunningException(current.status());
        }
        if (client == null) {
            client = new LoadClient(ownBaseUrl());
        }
        LoadRun run = new LoadRun(plan, client);
        for (int i = 1; i <= plan.threads(); i++) {
            Thread worker = new Thread(run::work, "load-" + i);
            worker.setDaemon(true);
            worker.start();
        }
        current = run;
        return run;
    }

    /** The running run, or else the last one. */
    synchronized Optional<LoadRun> current() {
        return Optional.ofNullable(current);
    }

    /** Closing the app ends the run first, so its workers do not call a server that is going away. */
    @EventListener(ContextClosedEvent.class)
    synchronized void stop() {
        if (current != null) {
            current.stop();
        }
    }

    private String ownBaseUrl() {
        String port = environment.getRequiredProperty("local.server.port");
        return "http://localhost:" + port + environment.getProperty("server.servlet.context-path", "");
    }

    static class LoadAlreadyRunningException extends RuntimeException {

        private final LoadStatus running;

        LoadAlreadyRunningException(LoadStatus running) {
            super("A load run is running already, " + Math.round(running.remainingSeconds())
                    + "s to go; DELETE /load stops it");
            this.running = running;
        }

        LoadStatus running() {
            return running;
        }
    }
}
