package dev.pool.test;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real PostgreSQL: {@code @ExtendWith(EmbeddedPostgresExtension.class)} and a
 * {@link TestDatabase} parameter (constructor, lifecycle or test method), or
 * {@link #database()} where JUnit does not inject (Spring's {@code @DynamicPropertySource}).
 *
 * <p>One embedded server serves the whole test JVM: started on first use (a few seconds; the
 * first run on a machine also unpacks the binaries) and stopped, its data deleted, when the JVM
 * exits. If the environment variable {@code POOL_TEST_JDBC_URL} is set, that database is used
 * instead, with {@code POOL_TEST_USERNAME} and {@code POOL_TEST_PASSWORD}; it cannot be restarted.
 *
 * <p>Before each test the server is started again if an earlier test stopped it and failed before
 * restarting it.
 */
public final class EmbeddedPostgresExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    public static final String URL_VARIABLE = "POOL_TEST_JDBC_URL";
    public static final String USERNAME_VARIABLE = "POOL_TEST_USERNAME";
    public static final String PASSWORD_VARIABLE = "POOL_TEST_PASSWORD";

    /** The embedded server's superuser; it trusts local connections, so any password will do. */
    private static final String EMBEDDED_USER = "postgres";

    private static TestDatabase database;

    /** The test database, starting the embedded server on first call. */
    public static synchronized TestDatabase database() {
        if (database == null) {
            database = connect();
        }
        return database;
    }

    private static TestDatabase connect() {
        String url = System.getenv(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            return new TestDatabase(url, System.getenv(USERNAME_VARIABLE), System.getenv(PASSWORD_VARIABLE), null);
        }
        EmbeddedPostgresServer server = EmbeddedPostgresServer.startNew();
        String embeddedUrl = "jdbc:postgresql://localhost:" + server.port() + "/postgres";
        return new TestDatabase(embeddedUrl, EMBEDDED_USER, EMBEDDED_USER, server);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        database();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        TestDatabase current = database();
        if (current.canRestart() && !current.isRunning()) {
            current.start();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TestDatabase.class;
    }

    @Override
    public TestDatabase resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return database();
    }
}
