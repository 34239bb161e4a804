package dev.pool.boot.slices.datajdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.PoolDataSource;
import dev.pool.boot.TestPostgres;
import dev.pool.test.EmbeddedPostgresExtension;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.data.jdbc.test.autoconfigure.DataJdbcTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase.Replace;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code @DataJdbcTest} on the real database runs Spring Data JDBC's repositories on the pool. */
@DataJdbcTest(properties = "pool.name=data-jdbc-slice")
@AutoConfigureTestDatabase(replace = Replace.NONE)
@ExtendWith(EmbeddedPostgresExtension.class)
class DataJdbcTestSliceTests {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, "data-jdbc-slice-test");
        TestPostgres.execute("create table if not exists slice_note (id bigserial primary key, text text)");
    }

    @Autowired
    private DataSource dataSource;

    @Autowired
    private NoteRepository notes;

    @Test
    void repositoriesRunOnThePool() {
        assertThat(dataSource).isInstanceOfSatisfying(PoolDataSource.class,
                (pool) -> assertThat(pool.getName()).isEqualTo("data-jdbc-slice"));

        Note saved = notes.save(new Note(null, "pooled"));

        assertThat(notes.findById(saved.id())).hasValueSatisfying((note) -> assertThat(note.text()).isEqualTo("pooled"));
        assertThat(((PoolDataSource) dataSource).stats().active()).as("the test's transaction holds one").isEqualTo(1);
    }

    @SpringBootApplication
    static class Application {
    }
}
