package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.service.security.Roles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard end to end in a real browser (Debian's chromium driven by chromedriver): log in, see every node of
 * a small cluster, ask where a job would go, change a weight after its preview, watch a run, read the emissions
 * chart, and no console errors on any page. With {@code -Ddashboard.screenshots=DIR} every page is saved as a PNG
 * there (docs/dashboard.md says how to refresh docs/dashboard/).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardTest {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static TestDatabase.Credentials db;
    private static TestService service;
    private static WebDriver browser;
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final List<String> NODES = List.of("h100-a", "h100-b", "a100-mig", "l4-spot", "l4-sick", "t4-cordoned");

    @BeforeAll
    static void start() {
        if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
            throw new IllegalStateException("the browser tests need Debian's chromium and chromium-driver: "
                    + "apt-get install chromium chromium-driver (.ci/run installs them)");
        }
        db = TestDatabase.fresh();
        java.nio.file.Path catalogue;
        try {
            catalogue = java.nio.file.Files.createTempFile("catalogue", ".json");
            java.nio.file.Files.writeString(catalogue, """
                    {"nodeTypes": [{"id": "dgx-h100", "zone": "DE", "gpuModel": "H100-80GB", "gpuCount": 8,
                      "leadTimeWeeks": 12, "costPerHour": 60, "baseWatts": 1500, "gpuBusyWatts": 700},
                     {"id": "g6", "zone": "FR", "gpuModel": "L4", "gpuCount": 4, "leadTimeWeeks": 2,
                      "costPerHour": 4, "baseWatts": 300, "gpuBusyWatts": 72}]}""");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        service = new TestService(db, Map.of("gpuplacer.capacity.catalogue-file", catalogue.toString()));
        ObjectNode signals = TestSignals.hourly(NOW.truncatedTo(ChronoUnit.HOURS).minus(6, ChronoUnit.HOURS), 36,
                "test-grid", (zone, h) -> (zone.equals("DE") ? 350 : 60) + 5 * ((h - 6) % 4),
                (zone, h) -> zone.equals("DE") ? 90 : 70, h -> false, "DE", "FR");
        // Three snapshots an hour apart: the ledger has two hours of what ran for the emissions page.
        assertThat(service.put("/v1/cluster", cluster(NOW.minus(2, ChronoUnit.HOURS), "")).status()).isEqualTo(200);
        assertThat(service.put("/v1/signals", signals.toString()).status()).isEqualTo(200);
        assertThat(service.put("/v1/cluster", cluster(NOW.minus(1, ChronoUnit.HOURS), "")).status()).isEqualTo(200);
        assertThat(service.put("/v1/cluster", cluster(NOW, "")).status()).isEqualTo(200);
        // A job asked about (its arrival: the first fit would put it on h100-a, in DE) then runs in FR: the
        // emissions page has savings to show.
        assertThat(service.post("/v1/recommendations", "{\"job\": {\"id\": \"train-9\", \"team\": \"nlp\", "
                + "\"priority\": 10, \"tasks\": 1, \"gpu\": {\"kind\": \"WHOLE\", \"count\": 1}, \"cpuMillis\": 4000, "
                + "\"memoryMiB\": 16384, \"durationHours\": 1, \"utilization\": 0.8}}").status()).isEqualTo(200);
        service.context().getBean(io.gpuplacer.service.ledger.ArrivalRecorder.class).drain();
        assertThat(service.put("/v1/cluster", cluster(NOW.plus(2, ChronoUnit.MINUTES), TRAIN_9)).status()).isEqualTo(200);
        assertThat(service.put("/v1/cluster", cluster(NOW.plus(4, ChronoUnit.MINUTES), TRAIN_9)).status()).isEqualTo(200);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--lang=en");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .build(), options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.close();
            TestDatabase.drop(db);
        }
    }

    /** No page logged an error to the console (a failed fetch, a script error, a refused resource). */
    @AfterEach
    void noConsoleErrors() {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(e.getMessage());
            }
        }
        assertThat(errors).as("console errors").isEmpty();
    }

    private static final String TRAIN_9 = """
            ,{"job": "train-9", "task": 0, "node": "l4-spot", "gpus": [1], "remainingHours": 1, "team": "nlp",
              "priority": 10, "gpu": {"kind": "WHOLE", "count": 1}, "cpuMillis": 4000, "memoryMiB": 16384,
              "preemptible": true, "utilization": 0.8}""";

    private static String cluster(Instant observedAt, String more) {
        return """
                {"observedAt": "%s",
                 "zones": [{"id": "DE", "pue": 1.3}, {"id": "FR", "pue": 1.2}],
                 "nodes": [
                  {"id": "h100-a", "zone": "DE", "block": "leaf-1", "gpuModel": "H100-80GB", "gpuCount": 8, "cpuMillis": 192000,
                   "memoryMiB": 2097152, "costPerHour": 98, "baseWatts": 1800, "gpuBusyWatts": 630, "alwaysOn": true},
                  {"id": "h100-b", "zone": "DE", "block": "leaf-1", "gpuModel": "H100-80GB", "gpuCount": 8, "cpuMillis": 192000,
                   "memoryMiB": 2097152, "costPerHour": 98, "baseWatts": 1800, "gpuBusyWatts": 630},
                  {"id": "a100-mig", "zone": "DE", "block": "leaf-2", "gpuModel": "A100-40GB", "gpuCount": 2, "cpuMillis": 64000,
                   "memoryMiB": 524288, "costPerHour": 30, "baseWatts": 700, "gpuBusyWatts": 300, "migEnabled": true},
                  {"id": "l4-spot", "zone": "FR", "gpuModel": "L4", "gpuCount": 4, "cpuMillis": 64000, "memoryMiB": 262144,
                   "costPerHour": 4, "baseWatts": 300, "gpuBusyWatts": 72, "capacityType": "SPOT", "interruptionPerHour": 0.05},
                  {"id": "l4-sick", "zone": "FR", "gpuModel": "L4", "gpuCount": 4, "cpuMillis": 64000, "memoryMiB": 262144,
                   "costPerHour": 4, "baseWatts": 300, "gpuBusyWatts": 72, "healthy": false},
                  {"id": "t4-cordoned", "zone": "FR", "gpuModel": "T4", "gpuCount": 2, "cpuMillis": 32000, "memoryMiB": 131072,
                   "costPerHour": 1, "baseWatts": 200, "gpuBusyWatts": 70, "schedulable": false}],
                 "queues": [
                  {"id": "nlp", "cohort": "research", "quotas": [{"flavor": "H100-80GB", "nominalGpus": 2},
                                                               {"flavor": "L4", "nominalGpus": 0}]},
                  {"id": "vision", "cohort": "research", "fairShareWeight": 2,
                   "quotas": [{"flavor": "H100-80GB", "nominalGpus": 6}, {"flavor": "L4", "nominalGpus": 2}]},
                  {"id": "search", "quotas": [{"flavor": "A100-40GB", "nominalGpus": 1}]}],
                 "running": [
                  {"job": "train-7", "task": 0, "node": "h100-a", "gpus": [0, 1, 2, 3], "remainingHours": 30, "team": "nlp",
                   "priority": 100, "gpu": {"kind": "WHOLE", "count": 4}, "cpuMillis": 16000, "memoryMiB": 65536, "utilization": 0.9},
                  {"job": "notebook-3", "task": 0, "node": "h100-a", "gpus": [4], "remainingHours": 30, "team": "vision",
                   "priority": 10, "gpu": {"kind": "SHARED", "milli": 400}, "cpuMillis": 2000, "memoryMiB": 8192, "utilization": 0.3},
                  {"job": "infer-1", "task": 0, "node": "a100-mig", "gpus": [0], "migStart": 0, "remainingHours": 30, "team": "search",
                   "priority": 50, "gpu": {"kind": "MIG", "profile": "3g.20gb"}, "cpuMillis": 4000, "memoryMiB": 16384, "utilization": 0.5},
                  {"job": "etl-2", "task": 0, "node": "l4-spot", "gpus": [0], "remainingHours": 30, "team": "vision",
                   "priority": 10, "gpu": {"kind": "WHOLE", "count": 1}, "cpuMillis": 4000, "memoryMiB": 16384,
                   "preemptible": true, "utilization": 0.6}%s]}
                """.formatted(observedAt, more);
    }

    private static WebDriverWait waiting(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    private static void open(String page) {
        browser.get(service.url() + "/#/" + page);
        waiting(15).until(d -> !d.findElements(By.cssSelector("main h2")).isEmpty()
                && d.findElements(By.xpath("//main//*[contains(text(), 'Loading')]")).isEmpty());
    }

    private static void screenshot(String name) {
        String dir = System.getProperty("dashboard.screenshots");
        if (dir == null || dir.isBlank()) {
            return;
        }
        try {
            Path out = Path.of(dir);
            Files.createDirectories(out);
            ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
            // The whole page: the window grown to the document's height for the picture.
            long height = (Long) ((JavascriptExecutor) browser).executeScript(
                    "return Math.min(4000, document.documentElement.scrollHeight)");
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, (int) Math.max(900, height)));
            File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), out.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void logIn(String token) {
        sessionClear();
        browser.get(service.url() + "/");
        WebElement input = waiting(10).until(ExpectedConditions.visibilityOfElementLocated(By.name("token")));
        input.sendKeys(token);
        browser.findElement(By.cssSelector("#login button[type=submit]")).click();
        waiting(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
    }

    /**
     * Forgets the token: on a file of the same origin that is not the app, so that no page of the app is still
     * loading (and calling the API) when it goes.
     */
    private static void sessionClear() {
        browser.get(service.url() + "/ui/style.css");
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
    }

    @Test
    @Order(1)
    void aWrongTokenIsRefusedAndTheRightOneLogsIn() {
        sessionClear();
        browser.get(service.url() + "/");
        WebElement input = waiting(10).until(ExpectedConditions.visibilityOfElementLocated(By.name("token")));
        screenshot("login");
        input.sendKeys("gpp_not-a-token");
        browser.findElement(By.cssSelector("#login button[type=submit]")).click();
        WebElement alert = waiting(10).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=alert]")));
        assertThat(alert.getText()).contains("not valid");
        // The browser itself logs the failed call's 401; nothing else may be there.
        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll()).allSatisfy(e ->
                assertThat(e.getMessage()).contains("/v1/me", "401"));
        logIn(service.token());
        assertThat(browser.findElement(By.id("who")).getText()).contains(service.tokenOwner(), "admin");
    }

    @Test
    @Order(2)
    void theClusterPageShowsEveryNodeAndHowItsGpusAreUsed() {
        logIn(service.token());
        open("cluster");
        List<String> shown = browser.findElements(By.cssSelector("[data-node]")).stream()
                .map(e -> e.getAttribute("data-node")).toList();
        assertThat(shown).containsExactlyInAnyOrderElementsOf(NODES);
        for (String id : NODES) {
            assertThat(browser.findElement(By.cssSelector("[data-node='" + id + "'] .id")).getText()).isEqualTo(id);
        }
        WebElement h100a = browser.findElement(By.cssSelector("[data-node='h100-a']"));
        assertThat(h100a.findElements(By.cssSelector(".gpu"))).hasSize(8);
        assertThat(h100a.findElements(By.cssSelector(".gpu.whole"))).hasSize(4);
        assertThat(h100a.findElements(By.cssSelector(".gpu .fill"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector("[data-node='a100-mig'] .gpu .mig")).getAttribute("style"))
                .contains("width: 42.8");
        assertThat(browser.findElement(By.cssSelector("[data-node='l4-sick']")).getAttribute("class")).contains("unhealthy");
        assertThat(browser.findElement(By.cssSelector("[data-node='t4-cordoned']")).getAttribute("class")).contains("cordoned");
        assertThat(browser.findElement(By.cssSelector("[data-node='l4-spot'] .tags")).getText()).contains("spot");
        String page = browser.findElement(By.tagName("main")).getText();
        // 4 + 0.4 + 3/7 + 1 + 1 GPUs of 24 healthy GPUs (l4-sick's 4 left out): 28 %; 0.6 of h100-a's GPU 4 stranded.
        assertThat(page).contains("Zone DE", "Zone FR", "g/kWh", "USD/MWh", "28 %", "6.8 of 24", "0.6 GPU",
                "as PUT by " + service.tokenOwner()); // the signals' freshness: no source is configured

        screenshot("cluster");
    }

    @Test
    @Order(3)
    void askingWhereAJobWouldGoShowsTheOraclesPlacesWithTheirExplanations() {
        logIn(service.token());
        open("queue");
        WebElement job = browser.findElement(By.id("job"));
        job.clear();
        job.sendKeys("{\"id\": \"ask-1\", \"team\": \"ml\", \"priority\": 10, \"tasks\": 1, \"gpu\": {\"kind\": "
                + "\"WHOLE\", \"count\": 2}, \"cpuMillis\": 4000, \"memoryMiB\": 16384, \"durationHours\": 2, "
                + "\"gpuModels\": [\"H100-80GB\"]}");
        browser.findElement(By.cssSelector("#ask button[type=submit]")).click();
        WebElement first = waiting(15).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#answer .recommendation h4")));
        assertThat(first.getText()).containsAnyOf("h100-a", "h100-b");
        assertThat(browser.findElements(By.cssSelector("#answer .recommendation li"))).isNotEmpty();
        screenshot("queue");
        // A job that reads wrong is the API's message, naming the field.
        job.clear();
        job.sendKeys("{\"id\": \"bad\", \"tasks\": 0}");
        browser.findElement(By.cssSelector("#ask button[type=submit]")).click();
        WebElement error = waiting(10).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#answer .error")));
        assertThat(error.getText()).contains("job.tasks");
        // The browser itself logs the 400 of that call; nothing else may be there.
        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll()).allSatisfy(e ->
                assertThat(e.getMessage()).contains("/v1/recommendations", "400"));
    }

    @Test
    @Order(5)
    void aWeightIsChangedOnlyAfterItsPreview() {
        logIn(service.token());
        open("weights");
        WebElement apply = browser.findElement(By.id("apply-button"));
        assertThat(apply.isEnabled()).isFalse();
        WebElement carbon = browser.findElement(By.id("w-carbonPriceUsdPerTonne"));
        carbon.clear();
        carbon.sendKeys("800");
        browser.findElement(By.id("reason")).sendKeys("try a higher carbon price");
        browser.findElement(By.id("preview-button")).click();
        WebElement preview = waiting(40).until(ExpectedConditions.visibilityOfElementLocated(By.id("preview")));
        assertThat(preview.getText()).contains("CO2e (kg)", "placed tasks", "moves", "the queue of optimization");
        assertThat(apply.isEnabled()).isTrue();
        screenshot("weights");
        apply.click();
        waiting(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("applied")));
        JsonNode w = service.get("/v1/weights").json();
        assertThat(w.get("weights").get("carbonPriceUsdPerTonne").asDouble()).isEqualTo(800);
        assertThat(w.get("reason").asText()).isEqualTo("try a higher carbon price");
        assertThat(w.get("author").asText()).isEqualTo(service.tokenOwner());
    }

    @Test
    @Order(4)
    void aRunIsWatchedToItsEndWithItsScoreChartAndPlan() {
        logIn(service.token());
        open("runs");
        WebElement seconds = browser.findElement(By.id("seconds"));
        seconds.clear();
        seconds.sendKeys("2");
        browser.findElement(By.cssSelector("#start button[type=submit]")).click();
        waiting(40).until(ExpectedConditions.textMatches(By.id("run-status"), java.util.regex.Pattern.compile("DONE")));
        waiting(10).until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//h3[text()='Plan']")));
        assertThat(browser.findElements(By.cssSelector("#run canvas"))).isNotEmpty();
        assertThat(browser.findElement(By.id("run")).getText()).contains("batch-1");
        screenshot("runs");
    }

    @Test
    @Order(6)
    void theEmissionsPageDrawsTheLedgersHoursWithTheTablesBehindThem() {
        logIn(service.token());
        open("emissions");
        WebElement chart = waiting(15).until(ExpectedConditions.visibilityOfElementLocated(By.id("emissions-chart")));
        waiting(10).until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "return arguments[0].complete && arguments[0].naturalWidth > 0", chart));
        assertThat(chart.getAttribute("alt")).contains("kg in all");
        double total = Double.parseDouble(browser.findElement(By.id("total-co2e")).getText().replace(" kg", "")
                .replace(",", ""));
        JsonNode report = service.get("/v1/reports/emissions?from=" + NOW.minus(3, ChronoUnit.HOURS)
                .truncatedTo(ChronoUnit.HOURS) + "&to=" + NOW.plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS)).json();
        assertThat(total).isPositive().isCloseTo(report.at("/totals/co2eKg").asDouble(), org.assertj.core.api.Assertions.within(0.06));
        // The heat map: the two zones' intensities as the ledger used them, a cell per zone and hour.
        List<WebElement> heads = browser.findElements(By.cssSelector("#heat thead th"));
        assertThat(heads.stream().map(WebElement::getText).toList()).contains("DE", "FR");
        assertThat(browser.findElements(By.cssSelector("#heat tbody tr"))).hasSizeGreaterThanOrEqualTo(2);
        assertThat(browser.findElement(By.id("emissions")).getText()).contains("Actual against the counterfactual",
                "1 jobs counted", "Download CSV");
        screenshot("emissions");
        open("actions");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("No actions");
        screenshot("actions");
    }

    /**
     * The queues page, a cohort at a time: nlp borrows 2 H100 GPUs of research (it runs 4 on a nominal 2), vision
     * lends them; the hours of the ledger per queue against its quota; without Kubernetes, no waiting pods.
     */
    @Test
    @Order(7)
    void theQueuesPageShowsACohortsQuotaUseOverTimeAndWhyWorkWaits() {
        logIn(service.token());
        open("queues");
        waiting(15).until(d -> !d.findElements(By.id("no-waiting")).isEmpty());
        String text = browser.findElement(By.id("cohort-view")).getText();
        assertThat(text).contains("Cohort research: nlp, vision", "Use against quota, hour by hour", "Over the period",
                "No preemption of this cohort's work", "known with a Kubernetes connection only");
        List<String> nowRows = browser.findElements(By.cssSelector("#cohort-view table")).get(0)
                .findElements(By.cssSelector("tbody tr")).stream().map(WebElement::getText).toList();
        assertThat(nowRows).anyMatch(r -> r.startsWith("nlp H100-80GB 2.0 4.0 2.0 0.0"))
                .anyMatch(r -> r.startsWith("vision H100-80GB 6.0 0.4 0.0 2.0"));
        assertThat(browser.findElements(By.cssSelector("#quota-chart canvas"))).isNotEmpty();
        screenshot("queues");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("cohort"))).selectByValue("search (alone)");
        browser.findElement(By.cssSelector("#cohort-form button[type=submit]")).click();
        waiting(15).until(d -> d.findElement(By.id("cohort-view")).getText().contains("Cohort search (alone): search"));
        waiting(15).until(d -> !d.findElements(By.id("no-waiting")).isEmpty());
        assertThat(browser.findElement(By.id("cohort-view")).getText()).contains("search A100-40GB 1.0");
    }

    @Test
    @Order(8)
    void aRoleSeesWhatItMayAndIsToldWhatItMayNot() {
        logIn(service.tokenFor("dash-reporter", Roles.REPORTER));
        open("weights");
        assertThat(browser.findElement(By.id("w-carbonPriceUsdPerTonne")).isEnabled()).isFalse();
        assertThat(browser.findElements(By.id("preview-button"))).isEmpty();
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("needs the operator or admin role");
        logIn(service.tokenFor("dash-scheduler", Roles.SCHEDULER));
        open("cluster");
        assertThat(browser.findElement(By.cssSelector("main [role=alert]")).getText())
                .contains("may not see this page", "operator, reporter, admin");
        open("queue");
        assertThat(browser.findElements(By.id("ask"))).hasSize(1);
    }

    /** The capacity page: the plan of the ledger's hours, its chart, what to buy and what the average would miss. */
    @Test
    @Order(9)
    void theCapacityPageDrawsThePlanAndSaysWhatToBuy() {
        logIn(service.tokenFor("dash-reporter", Roles.REPORTER));
        open("capacity");
        WebElement chart = waiting(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("capacity-chart")));
        waiting(10).until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "return arguments[0].complete && arguments[0].naturalWidth > 0", chart));
        JsonNode plan = service.get("/v1/capacity/plan?months=6").json();
        int nodes = 0;
        for (JsonNode p : plan.get("purchases")) {
            nodes += p.get("count").asInt();
        }
        assertThat(browser.findElement(By.id("nodes-to-buy")).getText()).isEqualTo(String.valueOf(nodes));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Purchases", "The peak week replayed",
                "GPU-h");
        screenshot("capacity");
    }
}
