package dev.pool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.pool.Credentials;
import dev.pool.CredentialsProvider;
import dev.pool.PoolDataSource;
import dev.pool.test.EmbeddedPostgresExtension;
import dev.pool.test.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Boot application whose credentials rotate: a {@link CredentialsProvider} bean, a real PostgreSQL
 * that asks the role for its password ({@link TestDatabase#createPasswordRole}), the password changed
 * with {@code ALTER ROLE} while the application runs. The static {@code pool.password} is a secret
 * too: it must never be used, shown or logged.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "pool.name=rotating",
        "pool.username=nobody",
        "pool.password=" + PoolCredentialsProviderPostgresTests.STATIC_PASSWORD,
        "management.endpoints.web.exposure.include=pool,health",
        "management.endpoint.health.show-details=always" })
@ExtendWith({ EmbeddedPostgresExtension.class, OutputCaptureExtension.class })
class PoolCredentialsProviderPostgresTests {

    static final String STATIC_PASSWORD = "static-never-used-5f1c";

    private static final String ROLE = "pool_boot_rotating";

    private static final String APPLICATION_NAME = "pool-credentials-test";

    /** The server's password for the role right now. */
    private static String serverPassword = newPassword();

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @Autowired
    private PoolDataSource pool;

    @Autowired
    private JdbcTemplate jdbcTemplate;

    @Autowired
    private RotatingCredentials credentials;

    private final TestDatabase database = EmbeddedPostgresExtension.database();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase database = EmbeddedPostgresExtension.database();
        registry.add("pool.url", () -> {
            if (database.canRestart()) {
                database.createPasswordRole(ROLE, serverPassword);
            }
            return database.jdbcUrl(APPLICATION_NAME);
        });
    }

    private static String newPassword() {
        return "pw-" + UUID.randomUUID();
    }

    @BeforeEach
    void providerKnowsThePassword() {
        Assumptions.assumeTrue(database.canRestart(), "edits the embedded server's pg_hba.conf");
        credentials.password = serverPassword;
    }

    @Test
    void theProviderBeanGivesEveryNewConnectionItsUserAndPassword() {
        int askedBefore = credentials.asked.get();
        long createdBefore = pool.stats().created();
        pool.evictIdle();

        assertThat(jdbcTemplate.queryForObject("select current_user", String.class)).isEqualTo(ROLE);
        assertThat(pool.getConfig().getCredentialsProvider()).isSameAs(credentials);
        assertThat(credentials.asked.get() - askedBefore).isEqualTo(pool.stats().created() - createdBefore)
                .isPositive();
    }

    @Test
    void aRotatedPasswordIsUsedWithoutARestartAndOpenConnectionsStay(CapturedOutput output) throws Exception {
        String old = serverPassword;
        try (Connection held = pool.getConnection()) {
            int heldPid = backendPid(held);
            serverPassword = newPassword();
            database.setPassword(ROLE, serverPassword);
            assertThatThrownBy(() -> database.connectAs(ROLE, old).close()).isInstanceOf(SQLException.class)
                    .satisfies((e) -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
            credentials.password = serverPassword;
            pool.evictIdle(); // the next borrow opens a new connection

            assertThat(jdbcTemplate.queryForObject("select pg_backend_pid()", Integer.class)).isNotEqualTo(heldPid);
            assertThat(backendPid(held)).as("opened with the old password, still open").isEqualTo(heldPid);
        }
        assertThat(output.getAll()).doesNotContain(old, serverPassword, STATIC_PASSWORD);
    }

    @Test
    void aWrongPasswordFailsAtOnceShowsInHealthAndIsNeverLoggedOrShown(CapturedOutput output) throws Exception {
        String wrong = newPassword();
        credentials.password = wrong;
        pool.evictIdle();

        assertThatThrownBy(() -> pool.getConnection().close()).isInstanceOf(SQLNonTransientConnectionException.class)
                .satisfies((e) -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
        DocumentContext health = JsonPath.parse(get("/actuator/health").body());
        assertThat(health.read("$.components.pool.status", String.class)).isEqualTo("DOWN");
        assertThat(health.read("$.components.pool.details.sqlState", String.class)).isEqualTo("28P01");
        HttpResponse<String> endpoint = get("/actuator/pool/rotating");
        assertThat(JsonPath.parse(endpoint.body()).read("$.config.credentials-provider", String.class))
                .isEqualTo(RotatingCredentials.class.getName());
        assertThat(JsonPath.parse(endpoint.body()).read("$.config.password", String.class)).isEqualTo("******");

        credentials.password = serverPassword;
        assertThat(jdbcTemplate.queryForObject("select current_user", String.class)).isEqualTo(ROLE);
        assertThat(JsonPath.parse(get("/actuator/health").body()).read("$.components.pool.status", String.class))
                .isEqualTo("UP");

        assertThat(output.getAll()).as("the capture works").contains("cannot connect");
        for (String body : List.of(output.getAll(), endpoint.body(), get("/actuator/pool").body())) {
            assertThat(body).doesNotContain(wrong, serverPassword, STATIC_PASSWORD);
        }
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (var statement = connection.createStatement();
                var result = statement.executeQuery("select pg_backend_pid()")) {
            result.next();
            return result.getInt(1);
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The application's provider: the password a secret store would hand out now. */
    static final class RotatingCredentials implements CredentialsProvider {

        final AtomicInteger asked = new AtomicInteger();

        volatile String password = serverPassword;

        @Override
        public Credentials credentials() {
            asked.incrementAndGet();
            return new Credentials(ROLE, password);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @Bean
        RotatingCredentials rotatingCredentials() {
            return new RotatingCredentials();
        }
    }
}
