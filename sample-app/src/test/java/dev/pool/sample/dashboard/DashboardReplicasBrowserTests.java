package dev.pool.sample.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.sample.SampleApplication;
import dev.pool.test.PrimaryAndStandby;
import dev.pool.test.Programs;
import dev.pool.test.RequiresPrograms;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The dashboard of the sample app run with a read replica ({@code pool.replicas[0].url}) on a real
 * primary and streaming standby: its pools table lists the primary's pool and the replica's, and
 * following the replica's shows that pool in the tiles and charts. In Chromium, as
 * {@link DashboardBrowserTests}; skipped where it is not installed.
 */
@RequiresPrograms(names = { "chromium", "chromedriver" }, install = DashboardBrowserTests.INSTALL)
class DashboardReplicasBrowserTests {

    private static PrimaryAndStandby servers;
    private static ConfigurableApplicationContext app;

    @TempDir
    private Path profile;

    private ChromeDriver browser;

    @BeforeAll
    static void startServersAndApp() {
        servers = PrimaryAndStandby.start();
        app = new SpringApplicationBuilder(SampleApplication.class).run("--server.port=0", "--management.server.port=0",
                "--pool.url=" + servers.primary().jdbcUrl("sample-replicas-test"),
                "--pool.username=" + servers.primary().username(), "--pool.password=" + servers.primary().password(),
                "--pool.replicas[0].url=" + servers.standby().jdbcUrl("sample-replicas-test"),
                "--logging.level.org.openqa.selenium.devtools.CdpVersionFinder=error",
                "--logging.level.org.openqa.selenium.chromium.ChromiumDriver=error");
    }

    @AfterAll
    static void stopAppAndServers() {
        if (app != null) {
            app.close();
        }
        if (servers != null) {
            servers.close();
        }
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void thePoolsTableListsThePrimaryAndTheReplicaAndTheReplicaCanBeFollowed() {
        ChromeOptions options = new ChromeOptions()
                .setBinary(Programs.require("chromium", DashboardBrowserTests.INSTALL).toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run", "--user-data-dir=" + profile, "--window-size=1440,1120");
        browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(Programs.require("chromedriver", DashboardBrowserTests.INSTALL).toFile())
                .usingAnyFreePort().build(), options);
        browser.get("http://localhost:" + app.getEnvironment().getProperty("local.server.port") + "/");

        waitUpTo(Duration.ofSeconds(20), () -> poolsListed().equals(List.of("sample", "sample-replica-0")));
        assertThat(text("#pool-name")).isEqualTo("sample");
        assertThat(text("#pools-rows tr[data-pool='sample'] td:nth-child(2)")).isEqualTo("primary");
        waitUpTo(Duration.ofSeconds(20), () -> text("#pools-rows tr[data-pool='sample-replica-0'] td:nth-child(2)")
                .equals("replica") && text("#pools-rows tr[data-pool='sample-replica-0'] td:nth-child(4)").equals("UP"));

        // clicked from the page's own script: the table is replaced every second, a found element may be gone
        browser.executeScript("document.querySelector(\"#pools-rows tr[data-pool='sample-replica-0'] button\").click()");

        waitUpTo(Duration.ofSeconds(10), () -> text("#pool-name").equals("sample-replica-0")
                && text("#pools-rows tr.followed td:first-child").equals("sample-replica-0"));
        waitUpTo(Duration.ofSeconds(10), () -> !attribute("#stat-max", "data-value").isEmpty());
        assertThat(attribute("#stat-max", "data-value")).isEqualTo("10");
    }

    @SuppressWarnings("unchecked")
    private List<String> poolsListed() {
        return (List<String>) browser.executeScript(
                "return [...document.querySelectorAll('#pools-rows tr')].map((row) => row.dataset.pool)");
    }

    private void waitUpTo(Duration timeout, java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, timeout, Duration.ofMillis(100)).until((page) -> condition.getAsBoolean());
    }

    /** Read in one step: the page replaces the table every second. */
    private String text(String css) {
        return (String) browser.executeScript(
                "const element = document.querySelector(arguments[0]); return element ? element.textContent : ''", css);
    }

    private String attribute(String css, String name) {
        WebElement element = browser.findElement(By.cssSelector(css));
        String attribute = element.getDomAttribute(name);
        return (attribute != null) ? attribute : "";
    }
}
