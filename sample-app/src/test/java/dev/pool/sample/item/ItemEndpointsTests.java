package dev.pool.sample.item;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.PoolDataSource;
import dev.pool.sample.SampleAppTest;
import dev.pool.sample.TestHttp;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClient;

/** The sample over HTTP, on the embedded PostgreSQL it starts when no database is configured. */
@SampleAppTest
class ItemEndpointsTests {

    @LocalServerPort
    private int port;

    @Autowired
    private DataSource dataSource;

    @Autowired
    private JdbcClient jdbc;

    private RestClient http;

    @BeforeEach
    void client() {
        http = TestHttp.localhost(port);
    }

    @Test
    void createdItemCanBeReadBack() {
        ResponseEntity<Item> created = post(new NewItem("hammer", 3), Item.class);
        assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        Item item = created.getBody();
        assertThat(item.name()).isEqualTo("hammer");
        assertThat(item.quantity()).isEqualTo(3);
        assertThat(created.getHeaders().getLocation()).hasPath("/items/" + item.id());

        assertThat(http.get().uri("/items/{id}", item.id()).retrieve().body(Item.class)).isEqualTo(item);
        assertThat(http.get().uri("/items").retrieve().body(new ParameterizedTypeReference<List<Item>>() { }))
                .contains(item);
    }

    @Test
    void itemAndItsEventCommitTogether() {
        Item item = post(new NewItem("saw", 1), Item.class).getBody();
        assertThat(eventsOf(item.id())).containsExactly("created");
    }

    @Test
    void duplicateNameIsRejectedAndWritesNothing() {
        post(new NewItem("drill", 1), Item.class);
        long events = jdbc.sql("select count(*) from item_events").query(Long.class).single();

        ResponseEntity<String> duplicate = post(new NewItem("drill", 5), String.class);

        assertThat(duplicate.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(jdbc.sql("select count(*) from items where name = 'drill'").query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from item_events").query(Long.class).single()).isEqualTo(events);
    }

    @Test
    void invalidItemIsRejected() {
        assertThat(post(new NewItem(" ", 1), String.class).getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(post(new NewItem("glue", -1), String.class).getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    }

    @Test
    void listShowsNewestFirstAndIsBounded() {
        Item older = post(new NewItem("chisel", 1), Item.class).getBody();
        Item newer = post(new NewItem("plane", 1), Item.class).getBody();

        List<Item> newest = http.get().uri("/items?limit=2").retrieve().body(new ParameterizedTypeReference<List<Item>>() { });

        assertThat(newest).containsExactly(newer, older);
        assertThat(http.get().uri("/items?limit=0").retrieve().toBodilessEntity().getStatusCode())
                .isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(http.get().uri("/items?limit=1001").retrieve().toBodilessEntity().getStatusCode())
                .isEqualTo(HttpStatus.BAD_REQUEST);
    }

    @Test
    void unknownItemIsNotFound() {
        assertThat(http.get().uri("/items/{id}", Long.MAX_VALUE).retrieve().toBodilessEntity().getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void requestsRunOnThePool() {
        assertThat(dataSource).isInstanceOf(PoolDataSource.class);
        PoolDataSource pool = (PoolDataSource) dataSource;
        assertThat(pool.getName()).isEqualTo("sample");
        assertThat(pool.getConfig().getUrl()).startsWith("jdbc:postgresql://localhost:");

        long borrowedBefore = pool.stats().borrowed();
        http.get().uri("/items").retrieve().toBodilessEntity();
        assertThat(pool.stats().borrowed()).isGreaterThan(borrowedBefore);
    }

    @Test
    void hikariIsNotOnTheClassPath() {
        assertThat(ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource", null)).isFalse();
    }

    private <T> ResponseEntity<T> post(NewItem item, Class<T> type) {
        return http.post().uri("/items").contentType(MediaType.APPLICATION_JSON).body(item).retrieve().toEntity(type);
    }

    private List<String> eventsOf(long itemId) {
        return jdbc.sql("select type from item_events where item_id = :id order by id").param("id", itemId)
                .query(String.class).list();
    }
}
