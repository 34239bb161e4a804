package dev.pool.boot.slices.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.PoolDataSource;
import dev.pool.boot.TestPostgres;
import dev.pool.test.EmbeddedPostgresExtension;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase.Replace;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code @DataJpaTest} on the real database runs Hibernate and the repositories on the pool. */
@DataJpaTest(properties = { "pool.name=jpa-slice", "spring.jpa.hibernate.ddl-auto=create" })
@AutoConfigureTestDatabase(replace = Replace.NONE)
@ExtendWith(EmbeddedPostgresExtension.class)
class DataJpaTestSliceTests {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, "jpa-slice-test");
    }

    @Autowired
    private DataSource dataSource;

    @Autowired
    private BookRepository books;

    @Test
    void repositoriesRunOnThePool() {
        assertThat(dataSource).isInstanceOfSatisfying(PoolDataSource.class,
                (pool) -> assertThat(pool.getName()).isEqualTo("jpa-slice"));
        long borrowedBefore = ((PoolDataSource) dataSource).stats().borrowed();

        books.saveAndFlush(new Book("Pooling"));

        assertThat(books.findByTitle("Pooling")).singleElement().extracting(Book::getTitle).isEqualTo("Pooling");
        assertThat(((PoolDataSource) dataSource).stats().active()).as("the test's transaction holds one").isEqualTo(1);
        assertThat(((PoolDataSource) dataSource).stats().borrowed()).isGreaterThanOrEqualTo(borrowedBefore);
    }

    @SpringBootApplication
    static class Application {
    }
}
