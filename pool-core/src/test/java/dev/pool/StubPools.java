package dev.pool;

import dev.pool.test.StubDriver;
import dev.pool.test.TestClock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Pools over a fresh {@link StubDriver} and a {@link TestClock}, closed after each test. Register
 * with {@code @RegisterExtension final StubPools pools = new StubPools();}.
 */
final class StubPools implements AfterEachCallback {

    final StubDriver driver = new StubDriver();
    final TestClock clock = new TestClock();
    private final List<PoolDataSource> open = new ArrayList<>();

    /** A pool named "test" with the default config, changed by {@code settings}. */
    PoolDataSource create(Consumer<PoolConfig> settings) {
        PoolConfig config = config(settings);
        PoolDataSource pool = new PoolDataSource(config, clock);
        open.add(pool);
        return pool;
    }

    PoolDataSource create() {
        return create(c -> { });
    }

    PoolConfig config(Consumer<PoolConfig> settings) {
        PoolConfig config = new PoolConfig();
        config.setName("test");
        config.setDataSource(driver.dataSource());
        config.setShutdownTimeout(java.time.Duration.ZERO);
        settings.accept(config);
        return config;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        driver.releaseConnects();
        open.forEach(PoolDataSource::close);
    }
}
