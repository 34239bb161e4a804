package dev.pool.sample;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole sample app on random ports (the app's and the management server's), on the embedded
 * PostgreSQL. Every test class uses this one set of properties, so they share one application
 * context and one database: tests leave the pool as they found it and the load generator idle.
 * The leak limits are shorter than in {@code application.yml}, so a leak is reclaimed within a test.
 * Selenium's warning that it has no DevTools bindings for Debian's newer Chromium is muted: the
 * browser tests use WebDriver only.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "pool.leak-detection-threshold=1s", "pool.abandoned-connection-timeout=2s",
                "logging.level.org.openqa.selenium.devtools.CdpVersionFinder=error",
                "logging.level.org.openqa.selenium.chromium.ChromiumDriver=error" })
public @interface SampleAppTest {
}
