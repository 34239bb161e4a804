package dev.pool.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small web app on the pool: the starter makes the pool its {@code DataSource}, Flyway creates
 * the schema through it, and the item endpoints query and write through it. Without
 * {@code pool.url} it starts an embedded PostgreSQL, so a JDK is all it needs.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
