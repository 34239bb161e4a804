package dev.pool.boot;

import dev.pool.test.EmbeddedPostgresExtension;
import dev.pool.test.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The embedded PostgreSQL, given to each test application as an ordinary Boot application is told
 * where its database is: {@code spring.datasource.*}. Each application names its connections
 * ({@code ApplicationName}), so a test can count its own backends.
 */
public final class TestPostgres {

    private TestPostgres() {
    }

    public static TestDatabase database() {
        return EmbeddedPostgresExtension.database();
    }

    /** For {@code @DynamicPropertySource}. */
    public static void register(DynamicPropertyRegistry registry, String applicationName) {
        TestDatabase database = database();
        registry.add("spring.datasource.url", () -> database.jdbcUrl(applicationName));
        registry.add("spring.datasource.username", database::username);
        registry.add("spring.datasource.password", database::password);
    }

    /** The same as {@code name=value} pairs, for {@code SpringApplicationBuilder.properties}. */
    public static String[] properties(String applicationName) {
        TestDatabase database = database();
        return new String[] { "spring.datasource.url=" + database.jdbcUrl(applicationName),
                "spring.datasource.username=" + database.username(),
                "spring.datasource.password=" + database.password() };
    }

    /** Runs SQL as the database's administrator, on a connection of its own. */
    public static void execute(String... statements) {
        try (Connection connection = database().unpooledDataSource().getConnection();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not prepare the test database", e);
        }
    }

    /** A login role whose password is its name, created if missing. */
    public static void createRole(String role) {
        execute("do $$ begin if not exists (select from pg_roles where rolname = '" + role + "') then create role "
                + role + " login password '" + role + "'; end if; end $$");
    }
}
