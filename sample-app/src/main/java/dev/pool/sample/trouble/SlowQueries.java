package dev.pool.sample.trouble;

import java.time.Duration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A query that holds its connection for a while, as a report or a lock wait would. */
@Service
class SlowQueries {

    private final JdbcClient jdbc;

    SlowQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Sleeps in the database for {@code duration}, inside a transaction; returns the server process that slept. */
    @Transactional(readOnly = true)
    int sleep(Duration duration) {
        return jdbc.sql("select pg_backend_pid() from pg_sleep(:seconds)")
                .param("seconds", duration.toMillis() / 1000.0)
                .query(Integer.class)
                .single();
    }
}
