package dev.pool.sample.dashboard;

import dev.pool.PoolDataSource;
import dev.pool.autoconfigure.PoolDataSources;
import jakarta.servlet.http.HttpServletRequest;
import javax.sql.DataSource;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Tells the dashboard page ({@code static/index.html}) where to find the actuator. The page reads
 * the pool endpoint and the Prometheus scrape straight from the management port, which allows it
 * by CORS ({@code management.endpoints.web.cors} in {@code application.yml}), so it shows exactly
 * what any other client of the endpoint would see.
 */
@RestController
class DashboardController {

    private final PoolDataSource pool;
    private final Environment environment;

    /** The application's DataSource: the pool, or with read replicas the router in front of the primary's pool. */
    DashboardController(DataSource dataSource, Environment environment) {
        this.pool = PoolDataSources.unwrap(dataSource);
        this.environment = environment;
    }

    /**
     * The pool's name and the actuator's base URL, on the host name the browser used for the page
     * and the port the management server listens on.
     */
    @GetMapping("/dashboard/config")
    DashboardConfig config(HttpServletRequest request) {
        String port = environment.getProperty("local.management.port", String.valueOf(request.getServerPort()));
        String actuator = UriComponentsBuilder.newInstance()
                .scheme(request.getScheme())
                .host(request.getServerName())
                .port(port)
                .path(environment.getProperty("management.endpoints.web.base-path", "/actuator"))
                .toUriString();
        return new DashboardConfig(pool.getName(), actuator);
    }

    record DashboardConfig(String pool, String actuator) {
    }
}
