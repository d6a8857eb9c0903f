package org.stevedore.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The UI in a real browser: Debian's chromium, headless, driven through chromium-driver. Walks
 * what a user does and keeps a screenshot of each page under {@code target/ui-screenshots/}.
 */
class UiBrowserTest {
    private static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");

    @TempDir
    static Path directory;
    static UiRegistry ui;
    @TempDir
    Path profile;
    ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        ui = new UiRegistry(directory);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        ui.close();
    }

    @BeforeEach
    void openBrowser(org.junit.jupiter.api.TestInfo test) {
        ChromeOptions options = new ChromeOptions();
        if (test.getTags().contains("no-javascript")) options.addArguments("--blink-settings=scriptEnabled=false");
        options.setBinary(executable("chromium", "/usr/bin/chromium"));
        // A fresh profile each test, and nothing that talks to the network on its own.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(executable("chromedriver", "/usr/bin/chromedriver"))).build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(2));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) browser.quit();
    }

    @Test
    void aUserBrowsesFromRepositoriesDownToLayersCopiesAPullCommandAndDeletesATag() throws Exception {
        open("/ui/");
        assertTrue(browser.getCurrentUrl().endsWith("/ui/") || browser.getCurrentUrl().endsWith("/ui/login"));
        logIn(UiRegistry.ALICE, UiRegistry.ALICE_PASSWORD);
        screenshot("01-repositories");
        assertEquals(List.of("public/tools", "shared/base", "team/app", "team/retained"),
                texts("#repositories tbody td:first-child"));

        browser.findElement(By.linkText("team/app")).click();
        assertEquals("team/app", browser.findElement(By.tagName("h1")).getText());
        assertTrue(texts("#tags tbody td:first-child").containsAll(List.of("v1", "old")));
        screenshot("02-repository");

        browser.findElement(By.linkText("v1")).click();
        assertEquals(List.of("linux/amd64", "linux/arm64"), texts("#platforms tbody td:first-child"));
        assertEquals(List.of(Pusher.COSIGN), texts("#referrers tbody td:first-child"), "the signature is listed");
        screenshot("03-index");

        browser.findElements(By.cssSelector("#platforms tbody a")).get(1).click();
        assertTrue(browser.findElement(By.id("config")).getText().contains("linux/arm64"));
        assertTrue(browser.findElement(By.id("config")).getText().contains("[\"/bin/server\"]"));
        assertEquals(2, browser.findElements(By.cssSelector("#layers tbody tr")).size());
        assertTrue(texts("#layers tbody td:nth-child(3)").stream().allMatch(Pusher.LAYER::equals));
        assertTrue(texts("#labels td").contains(UiRegistry.HOSTILE_LABEL), "the label shows as text");
        assertEquals(0L, browser.executeScript("return window.labelScriptRan ? 1 : 0;"));
        screenshot("04-image");

        open("/ui/r/team/app");
        browser.executeCdpCommand("Browser.grantPermissions", Map.of("permissions",
                List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
        WebElement copy = browser.findElement(By.cssSelector("tr[data-name='v1'] td.pull > button.copy"));
        copy.click();
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(d -> copy.getText().equals("Copied"));
        Object clipboard = browser.executeAsyncScript(
                "const done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done, e => done('error ' + e));");
        assertEquals("docker pull " + ui.registry.hostPort() + "/team/app:v1", clipboard);

        browser.findElement(By.cssSelector("tr[data-name='old'] a.danger")).click();
        screenshot("05-delete-confirmation");
        browser.findElement(By.id("confirm-delete")).click();
        assertTrue(browser.findElement(By.cssSelector(".notice")).getText().contains("Deleted old"));
        assertFalse(texts("#tags tbody td:first-child").contains("old"), "the tag is gone");
        assertTrue(texts("#tags tbody td:first-child").contains("v1"));

        browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        screenshot("06-repository-dark");
        browser.manage().window().setSize(new Dimension(390, 844));
        open("/ui/m/team/app@" + ui.index.digest());
        screenshot("07-index-phone-dark");
    }

    @Test
    void anAdministratorSeesUsageAgainstTheQuotaAndTheRetentionPreview() throws Exception {
        open("/ui/login");
        logIn(UiRegistry.ALICE, UiRegistry.ALICE_PASSWORD);
        WebElement teamApp = browser.findElement(By.cssSelector("#repositories tr[data-name='team/app'] td.quota"));
        assertTrue(teamApp.getText().endsWith("of 1.0 MB"), teamApp.getText());
        assertEquals(String.valueOf(UiRegistry.QUOTA), teamApp.findElement(By.tagName("meter")).getAttribute("max"));
        screenshot("10-repositories-usage");

        browser.findElement(By.linkText("team/retained")).click();
        WebElement usage = browser.findElement(By.id("usage"));
        assertTrue(usage.getText().contains("quota 1.0 MB") && usage.getText().contains("% used"), usage.getText());
        screenshot("11-repository-usage");

        browser.findElement(By.partialLinkText("Retention preview")).click();
        assertEquals("Retention preview of team/retained", browser.findElement(By.tagName("h1")).getText());
        assertEquals(List.of("delete", "delete", "keep"), texts("tr[data-kind='tag'] .badge"));
        assertEquals(List.of("kept by no criterion", "kept by no criterion", "among the 1 latest pushed"),
                texts("tr[data-kind='tag'] td:nth-child(3)"));
        assertEquals("r3", browser.findElement(By.cssSelector("tr[data-kind='tag'][data-action='keep'] a")).getText(),
                "the latest push is kept");
        screenshot("12-retention-repository");

        browser.findElement(By.linkText("Retention")).click();
        assertEquals(List.of("team/retained"), texts("section.plan h2"));
        screenshot("13-retention-overview");
        browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        browser.manage().window().setSize(new Dimension(390, 844));
        screenshot("14-retention-phone-dark");
    }

    @Test
    void anotherUserSeesOnlyWhatTheRulesGiveAndCannotDelete() throws Exception {
        open("/ui/login");
        logIn(UiRegistry.BOB, UiRegistry.BOB_PASSWORD);
        assertEquals(List.of("public/tools", "shared/base"), texts("#repositories tbody td:first-child"));
        browser.findElement(By.linkText("shared/base")).click();
        assertEquals("1.0", browser.findElement(By.cssSelector("#tags tbody td:first-child")).getText());
        browser.manage().timeouts().implicitlyWait(Duration.ZERO); // asserting absence: do not wait for it
        assertTrue(browser.findElements(By.cssSelector("a.danger")).isEmpty(), "no delete links");
        screenshot("08-other-user");
        open("/ui/r/team/app");
        assertEquals("Not found", browser.findElement(By.tagName("h1")).getText());
        open("/ui/delete?repository=shared/base&reference=1.0");
        assertEquals("Not allowed", browser.findElement(By.tagName("h1")).getText());
        assertTrue(browser.findElements(By.linkText("Retention")).isEmpty(), "no preview link for bob");
        open("/ui/retention");
        assertEquals("Not allowed", browser.findElement(By.tagName("h1")).getText());
    }

    @Test
    @org.junit.jupiter.api.Tag("no-javascript")
    void withJavaScriptOffBrowsingFilteringAndLoggingInStillWork() {
        open("/ui/login");
        logIn(UiRegistry.ALICE, UiRegistry.ALICE_PASSWORD);
        WebElement filter = browser.findElement(By.id("q"));
        filter.sendKeys("team/a");
        filter.submit();
        assertEquals(List.of("team/app"), texts("#repositories tbody td:first-child"), "the form filtered on the server");
        browser.findElement(By.linkText("team/app")).click();
        WebElement copy = browser.findElement(By.cssSelector("tr[data-name='v1'] td.pull > button.copy"));
        assertFalse(copy.isDisplayed(), "no copy button without script");
        assertEquals("docker pull " + ui.registry.hostPort() + "/team/app:v1",
                browser.findElement(By.cssSelector("tr[data-name='v1'] td.pull > code")).getText());
        screenshot("09-no-javascript");
    }

    private void logIn(String user, String password) {
        if (!browser.getCurrentUrl().endsWith("/ui/login")) open("/ui/login");
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        screenshot("00-login");
        browser.findElement(By.cssSelector("form.stack button[type=submit]")).click();
        assertEquals(user, browser.findElement(By.cssSelector(".who")).getText());
    }

    private void open(String path) {
        browser.get(ui.registry.url().resolve(path).toString());
    }

    private List<String> texts(String css) {
        return browser.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    private void screenshot(String name) {
        try {
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name + ".png"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The program on the PATH, else Debian's location (scripts/test installs the packages). */
    private static String executable(String name, String debianPath) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) return candidate.toString();
        }
        return debianPath;
    }
}
