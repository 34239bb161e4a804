package dev.pool.sample.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool.PoolDataSource;
import dev.pool.PoolState;
import dev.pool.RejectionReason;
import dev.pool.sample.SampleAppTest;
import dev.pool.test.Programs;
import dev.pool.test.RequiresPrograms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The dashboard in a real browser: Debian's headless Chromium, driven through the system's
 * chromedriver (never a downloaded browser). Where they are not installed these tests are skipped,
 * saying so; {@code .ci/run} installs them and runs them with missing programs made a failure.
 * Each test opens the page, presses its buttons and waits for the pool and the page to show the
 * result.
 *
 * <p>No pure-Java browser stands in where Chromium is missing: HtmlUnit (Selenium's
 * {@code htmlunit3-driver}, HtmlUnit 4.21) cannot parse the page's scripts, neither Chart.js 4
 * ({@code chart.umd.min.js}: syntax error) nor {@code dashboard.js} itself ({@code async}
 * functions), so the page stays at "connecting…" there.
 */
@SampleAppTest
@RequiresPrograms(names = { "chromium", "chromedriver" }, install = DashboardBrowserTests.INSTALL)
class DashboardBrowserTests {

    static final String INSTALL = "apt-get install -y chromium chromium-driver";

    /** Taken during the load run; the README's docs/dashboard.png is a copy of one. */
    private static final Path SCREENSHOT = Path.of("target", "dashboard.png");

    @LocalServerPort
    private int port;

    @Autowired
    private PoolDataSource pool;

    @TempDir
    private Path profile;

    private WebDriver browser;
    private int minIdle;
    private int maxSize;

    @BeforeEach
    void openDashboard() {
        minIdle = pool.getMinIdle();
        maxSize = pool.stats().maxSize();

        ChromeOptions options = new ChromeOptions()
                .setBinary(Programs.require("chromium", INSTALL).toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run", "--user-data-dir=" + profile, "--window-size=1440,1120");
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(Programs.require("chromedriver", INSTALL).toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(driver, options);
        browser.get("http://localhost:" + port + "/");
        waitUpTo(Duration.ofSeconds(15), (page) -> !value("#stat-total").isEmpty());
    }

    @AfterEach
    void closeBrowserAndRestorePool() {
        if (browser != null) {
            browser.quit();
        }
        pool.resume();
        pool.resize(minIdle, maxSize);
    }

    @Test
    void loadRunStartedFromThePageMovesItsChart() throws IOException {
        long borrowedBefore = Long.parseLong(value("#stat-borrowed"));
        List<Number> activeBefore = chartSeries("connections-chart", 0);

        setNumber("#load-threads", 16);
        setNumber("#load-duration", 6);
        find("#start-load").click();

        waitUpTo(Duration.ofSeconds(5), (page) -> "true".equals(attribute("#load-state", "data-running")));
        waitUpTo(Duration.ofSeconds(15), (page) -> Long.parseLong(value("#stat-borrowed")) > borrowedBefore + 50
                && Integer.parseInt(attribute("#connections-chart", "data-peak-active")) > 0
                && !attribute("#acquire-chart", "data-p99").isEmpty());
        List<Number> activeDuring = chartSeries("connections-chart", 0);
        assertThat(activeDuring).hasSizeGreaterThan(activeBefore.size());
        assertThat(activeDuring).anySatisfy((active) -> assertThat(active.intValue()).isPositive());
        assertThat(chartSeries("acquire-chart", 2)).anySatisfy((p99) -> assertThat(p99).isNotNull());
        Files.createDirectories(SCREENSHOT.getParent());
        Files.copy(((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT,
                StandardCopyOption.REPLACE_EXISTING);

        waitUpTo(Duration.ofSeconds(20), (page) -> "false".equals(attribute("#load-state", "data-running")));
        assertThat(Long.parseLong(attribute("#load-state", "data-ok"))).isPositive();
        assertThat(text("#load-summary")).startsWith("Last run: 16 threads");
    }

    @Test
    void suspendAndResumeButtonsReachThePool() {
        find("#action-suspend").click();
        waitUpTo(Duration.ofSeconds(5), (page) -> "SUSPENDED".equals(attribute("#pool-state", "data-state")));
        assertThat(pool.state()).isEqualTo(PoolState.SUSPENDED);

        find("#action-resume").click();
        waitUpTo(Duration.ofSeconds(5), (page) -> "RUNNING".equals(attribute("#pool-state", "data-state")));
        assertThat(pool.state()).isEqualTo(PoolState.RUNNING);
    }

    @Test
    void evictIdleButtonShowsManualEvictions() {
        waitUpTo(Duration.ofSeconds(5), (page) -> pool.stats().idle() > 0);
        int manualBefore = evictions("manual");

        find("#action-evict-idle").click();

        waitUpTo(Duration.ofSeconds(5), (page) -> evictions("manual") > manualBefore);
        assertThat(text("#log li")).contains("evict-idle → RUNNING");
    }

    @Test
    void resizeButtonChangesTheLimitsAndShowsRefusals() {
        setNumber("#resize-min-idle", 3);
        setNumber("#resize-max-size", 12);
        find("#action-resize").click();

        waitUpTo(Duration.ofSeconds(5), (page) -> "12".equals(value("#stat-max")));
        assertThat(pool.stats().maxSize()).isEqualTo(12);
        assertThat(pool.getMinIdle()).isEqualTo(3);

        setNumber("#resize-min-idle", 20);
        find("#action-resize").click();

        waitUpTo(Duration.ofSeconds(5), (page) -> text("#log li").contains("refused: 400"));
        assertThat(attribute("#log li", "class")).isEqualTo("failed");
        assertThat(pool.stats().maxSize()).isEqualTo(12);
    }

    @Test
    void leakButtonShowsTheLeakAndThenItsReclaim() {
        find("#leak").click();

        waitUpTo(Duration.ofSeconds(5), (page) -> text("#leaks li").contains("still held"));
        waitUpTo(Duration.ofSeconds(15), (page) -> text("#leaks li").contains("reclaimed"));
        assertThat(evictions("abandoned")).isPositive();
    }

    @Test
    void nestedTransactionsButtonShowsThePoolDeadlockRejected() {
        long before = Long.parseLong(value("#stat-rejections"));

        find("#nested").click();

        waitUpTo(Duration.ofSeconds(10), (page) -> text("#log li").contains("nested transactions refused: 503"));
        assertThat(text("#log li")).contains("deadlock");
        waitUpTo(Duration.ofSeconds(5), (page) -> Long.parseLong(value("#stat-rejections")) > before);
        assertThat((String) ((ChromeDriver) browser).executeScript(
                "return JSON.parse(document.getElementById('stat-rejections').dataset.reasons)['deadlock'] + ''"))
                .isEqualTo(String.valueOf(pool.stats().rejections().get(RejectionReason.DEADLOCK)));
    }

    private void waitUpTo(Duration timeout, Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, timeout, Duration.ofMillis(100)).until(condition);
    }

    private WebElement find(String css) {
        return browser.findElement(By.cssSelector(css));
    }

    private String attribute(String css, String name) {
        String attribute = find(css).getDomAttribute(name);
        return (attribute != null) ? attribute : "";
    }

    /** What a stat tile or chart shows, as the page keeps it in {@code data-value}. */
    private String value(String css) {
        return attribute(css, "data-value");
    }

    /** The text of the first element matching, read in one step: the page replaces lists and tables every second. */
    private String text(String css) {
        return (String) ((ChromeDriver) browser).executeScript(
                "const element = document.querySelector(arguments[0]); return element ? element.textContent : ''", css);
    }

    private void setNumber(String css, int number) {
        WebElement input = find(css);
        input.clear();
        input.sendKeys(String.valueOf(number));
    }

    /** The evictions by reason the page's bar chart shows. */
    private int evictions(String reason) {
        Object count = ((ChromeDriver) browser).executeScript(
                "return JSON.parse(document.getElementById('evictions-chart').dataset.evictions)[arguments[0]] || 0", reason);
        return ((Number) count).intValue();
    }

    /** One data set of a chart, read from Chart.js itself. */
    @SuppressWarnings("unchecked")
    private List<Number> chartSeries(String canvasId, int dataset) {
        return (List<Number>) ((ChromeDriver) browser).executeScript(
                "return Chart.getChart(arguments[0]).data.datasets[arguments[1]].data", canvasId, dataset);
    }
}
