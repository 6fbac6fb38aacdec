package dev.parley.app;

import static dev.parley.schemas.DevelopmentBuilder.aDevelopment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.localkafka.KafkaBroker;
import dev.parley.localkafka.junit.KafkaExtension;
import dev.parley.producer.DevelopmentPublisher;
import dev.parley.producer.DevelopmentReader;
import dev.parley.producer.DevelopmentValidator;
import dev.parley.producer.ProducerSettings;
import dev.parley.schemas.DevelopmentType;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in Debian's headless Chromium, at a phone's width, on the shared broker: the seed article's view, live
 * updates without a reload, news text shown as text, and the form's answers from the server.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DashboardIT {

    /** The seed article under a negotiation id of its own: other tests publish the seed under its real one. */
    private static final String NEGOTIATION = "dashboard-it-talks";
    private static final String TOKEN = "dashboard-test-token";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path home;

    private Pipeline pipeline;
    private WebServer web;
    private DevelopmentPublisher publisher;
    private ChromeDriver browser;

    @BeforeAll
    void startParleyAndBrowser(KafkaBroker kafka) throws Exception {
        AppSettings settings = AppSettings.from(Map.of("PARLEY_APPLICATION_ID", "dashboard-it", "PARLEY_PORT", "0",
                        "PARLEY_API_TOKEN", TOKEN, "PARLEY_RATE_LIMIT_PER_SECOND", "1000"))
                .withBootstrapServers(kafka.bootstrapServers()).withHome(home.resolve("parley"));
        pipeline = Pipeline.start(settings);
        web = WebServer.start(pipeline, settings);
        publisher = DevelopmentPublisher.create(ProducerSettings.from(Map.of(), kafka.bootstrapServers()));
        String seed = Files.readString(Path.of("..", "samples", "ukraine-peace-2025.ndjson"), StandardCharsets.UTF_8)
                .replace("\"negotiation_id\":\"ukraine-peace-2025\"", "\"negotiation_id\":\"" + NEGOTIATION + "\"");
        publisher.publishAll(new DevelopmentReader(new DevelopmentValidator(Clock.systemUTC()))
                .read(new java.io.BufferedReader(new StringReader(seed)), "seed").developments());
        pipeline.awaitCaughtUp(Duration.ofSeconds(60));

        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=375,800",
                "--user-data-dir=" + Files.createDirectories(home.resolve("chromium")));
        var service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        phoneViewport(800); // headless windows are at least 500 px wide; the viewport can be a phone's
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        for (AutoCloseable started : new AutoCloseable[] {publisher, web, pipeline}) {
            if (started != null) {
                started.close();
            }
        }
    }

    @Test
    void shouldShowTheSeedViewWithTheClaimAsContestedAndTheOriginalText() throws Exception {
        // when
        open();

        // then
        String view = awaitText(By.id("view-body"), "direct talks");
        assertThat(view).contains("direct talks, since early December 2025").contains("Moscou").contains("Floride")
                .contains("no formal decision announced").contains("« très bonne »");
        WebElement claim = browser.findElement(By.cssSelector("li.claim"));
        assertThat(claim.findElement(By.className("claim-text")).getText()).isEqualTo("prise de la ville de Pokrovsk");
        assertThat(claim.findElement(By.cssSelector(":scope > .badge")).getText()).isEqualTo("contested");
        assertThat(claim.findElements(By.cssSelector("ul.stances > li"))).extracting(WebElement::getText)
                .hasSize(3)
                .anySatisfy(s -> assertThat(s).startsWith("DeepState").contains("partially confirms"))
                .anySatisfy(s -> assertThat(s).startsWith("autorités russes (RU)").contains("asserts"))
                .anySatisfy(s -> assertThat(s).startsWith("unités ukrainiennes (UA)").contains("contests"));
        screenshot();
    }

    @Test
    void shouldServeThePageWithAContentSecurityPolicy() throws Exception {
        // when
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url())).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Security-Policy")).contains(SecurityHeaders.CONTENT_SECURITY_POLICY);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    }

    @Test
    void shouldShowANewDevelopmentWithoutReloading() throws Exception {
        // given the page, marked so that a reload would show
        open();
        awaitText(By.id("view-body"), "direct talks");
        awaitText(By.id("live"), "live");
        browser.executeScript("window.notReloaded = true;");

        // when a meeting in Genève is scheduled
        publisher.publishAll(List.of(aDevelopment().negotiation(NEGOTIATION).id("dashboard-geneva").meeting()
                .subject("meeting:geneva").in("Genève").on("2025-12-10").scheduled().reportedAt("2025-12-06T09:00:00Z")
                .summary("Des pourparlers sont prévus à Genève.").build()));

        // then it appears in the view and among the live changes, on the same page
        awaitText(By.id("view-body"), "Genève");
        awaitText(By.id("changes"), "dashboard-geneva");
        assertThat(browser.executeScript("return window.notReloaded === true;")).isEqualTo(true);
    }

    @Test
    void shouldShowMarkupInNewsTextAsTextAndRunNothing() throws Exception {
        // given the page
        open();
        awaitText(By.id("view-body"), "direct talks");
        awaitText(By.id("live"), "live");

        // when a statement's summary is a script
        publisher.publishAll(List.of(aDevelopment().negotiation(NEGOTIATION).id("dashboard-script").type(DevelopmentType.STATEMENT)
                .subject("statement:script").on("2025-12-06").reportedAt("2025-12-06T10:00:00Z")
                .summary("<script>alert(1)</script>").build()));

        // then it is shown as those characters, and no alert opens and no element is made of it
        awaitText(By.id("view-body"), "<script>alert(1)</script>");
        assertThat(alertIsOpen()).isFalse();
        assertThat(browser.findElements(By.cssSelector("main script"))).isEmpty();
    }

    @Test
    void shouldFitAPhoneScreenWithoutHorizontalScrolling() throws Exception {
        // when
        open();
        awaitText(By.id("view-body"), "direct talks");

        // then
        long innerWidth = ((Number) browser.executeScript("return window.innerWidth;")).longValue();
        long scrollWidth = ((Number) browser.executeScript("return document.documentElement.scrollWidth;")).longValue();
        assertThat(innerWidth).isEqualTo(375);
        assertThat(scrollWidth).isLessThanOrEqualTo(innerWidth);
    }

    @Test
    void shouldShowTheServersMessageNextToTheFieldThenASuccess() throws Exception {
        // given the form filled in with an impossible date
        open();
        type("f-token", TOKEN);
        type("f-development_id", "dashboard-form");
        type("f-subject", "meeting:form");
        type("f-date", "2025-13-02");
        type("f-place", "Varsovie");
        type("f-summary", "Une rencontre est annoncée à Varsovie.");
        type("f-actor-name", "Roustem Oumerov");
        type("f-actor-party", "UA");
        type("f-outlet", "Test");

        // when it is sent
        browser.findElement(By.cssSelector("#development-form button[type=submit]")).click();

        // then the server's message sits next to the date field
        WebElement error = new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("f-date-error")));
        assertThat(error.getText()).isEqualTo("occurred_on.start: \"2025-13-02\" is not a date (expected YYYY-MM-DD)");
        assertThat(error.findElement(By.xpath("..")).findElement(By.id("f-date"))).isNotNull();
        assertThat(browser.findElement(By.id("f-date")).getAttribute("aria-invalid")).isEqualTo("true");

        // and when the date is fixed and it is sent again, it is accepted, then shown
        browser.findElement(By.id("f-date")).clear();
        type("f-date", "2025-12-12");
        browser.findElement(By.cssSelector("#development-form button[type=submit]")).click();
        awaitText(By.cssSelector("#form-result.ok"), "Accepted: published");
        assertThat(browser.findElements(By.id("f-date-error"))).isEmpty();
        awaitText(By.id("view-body"), "Varsovie");
    }

    private void open() {
        browser.get(url() + "?negotiation=" + NEGOTIATION);
    }

    private String url() {
        return "http://127.0.0.1:" + web.port() + "/";
    }

    private String awaitText(By locator, String text) {
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(locator, text));
        return browser.findElement(locator).getText();
    }

    private void type(String id, String text) {
        browser.findElement(By.id(id)).sendKeys(text);
    }

    private boolean alertIsOpen() {
        try {
            browser.switchTo().alert();
            return true;
        } catch (NoAlertPresentException e) {
            return false;
        }
    }

    private void screenshot() throws Exception {
        // The whole page at phone width, for a person to look at: app/target/dashboard.png.
        long height = ((Number) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollHeight;")).longValue();
        phoneViewport((int) Math.min(height, 8000));
        try {
            Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, Path.of("target", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
        } finally {
            phoneViewport(800);
        }
    }

    private void phoneViewport(int height) {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 375, "height", height, "deviceScaleFactor", 1, "mobile", true));
    }
}
