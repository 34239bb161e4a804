package dev.pool.sample;

import dev.pool.PoolDataSource;
import dev.pool.autoconfigure.PoolDataSources;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Says, once the app takes traffic, where the dashboard is and which database the pool uses. */
@Component
class StartupReport {

    private static final Logger log = LoggerFactory.getLogger(StartupReport.class);

    private final PoolDataSource pool;
    private final ObjectProvider<EmbeddedPostgres> embedded;
    private final Environment environment;

    /** The application's DataSource: the pool, or with read replicas the router in front of the primary's pool. */
    StartupReport(DataSource dataSource, ObjectProvider<EmbeddedPostgres> embedded, Environment environment) {
        this.pool = PoolDataSources.unwrap(dataSource);
        this.embedded = embedded;
        this.environment = environment;
    }

    @EventListener(ApplicationReadyEvent.class)
    void report() {
        String database = (embedded.getIfAvailable() != null) ? "the embedded PostgreSQL"
                : "the database set by pool.url or spring.datasource.url";
        String port = environment.getProperty("local.server.port");
        String managementPort = environment.getProperty("local.management.port", port);
        log.info("Pool '{}' is on {} at {}", pool.getName(), database, withoutSecrets(pool.getConfig().getUrl()));
        log.info("Dashboard: http://localhost:{}/  Actuator: http://localhost:{}/actuator", port, managementPort);
    }

    /** The URL without user info or parameters, either of which may carry a password. */
    static String withoutSecrets(String url) {
        String withoutParameters = url.replaceFirst("[?;].*$", "");
        return withoutParameters.replaceFirst("//[^/@]*@", "//");
    }
}
