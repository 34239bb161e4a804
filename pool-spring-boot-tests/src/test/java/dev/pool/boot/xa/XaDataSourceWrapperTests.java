package dev.pool.boot.xa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.PoolDataSource;
import dev.pool.boot.TestPostgres;
import dev.pool.test.EmbeddedPostgresExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import javax.sql.XADataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.xa.PGXADataSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.XADataSourceWrapper;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An application with an {@link XADataSourceWrapper} (what a JTA transaction manager contributes):
 * the starter backs off, and Boot builds the XA DataSource from {@code spring.datasource.*} and
 * hands it to the wrapper, as it does beside its own pools.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class XaDataSourceWrapperTests {

    @Test
    void theWrapperMakesTheDataSourceAndThePoolStaysOut() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
                .web(WebApplicationType.NONE).properties(TestPostgres.properties("xa-test")).run()) {
            RecordingWrapper wrapper = context.getBean(RecordingWrapper.class);

            assertThat(context.getBeansOfType(PoolDataSource.class)).isEmpty();
            assertThat(wrapper.wrapped).singleElement().isInstanceOfSatisfying(PGXADataSource.class,
                    (xa) -> assertThat(xa.getApplicationName()).isEqualTo("xa-test"));
            assertThat(context.getBean(DataSource.class)).isSameAs(wrapper.made.get(0));
            assertThat(context.getBean(JdbcTemplate.class).queryForObject("select current_setting('application_name')",
                    String.class)).isEqualTo("xa-test");
        }
    }

    /**
     * Stands in for a JTA transaction manager's wrapper: records the XA data source it is given and
     * answers with a plain data source to the same database.
     */
    static class RecordingWrapper implements XADataSourceWrapper {

        final List<XADataSource> wrapped = new CopyOnWriteArrayList<>();
        final List<DataSource> made = new CopyOnWriteArrayList<>();

        @Override
        public DataSource wrapDataSource(XADataSource dataSource) {
            wrapped.add(dataSource);
            PGXADataSource xa = (PGXADataSource) dataSource;
            PGSimpleDataSource plain = new PGSimpleDataSource();
            plain.setURL(xa.getURL());
            plain.setUser(xa.getUser());
            plain.setPassword(xa.getPassword());
            made.add(plain);
            return plain;
        }
    }

    @SpringBootApplication
    static class Application {

        @Bean
        RecordingWrapper xaDataSourceWrapper() {
            return new RecordingWrapper();
        }
    }
}
