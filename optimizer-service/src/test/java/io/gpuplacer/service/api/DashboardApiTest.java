package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.service.security.Roles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the dashboard stands on, without a browser: its files open to anyone (they hold no data) under a policy
 * that loads nothing from elsewhere, the API still closed; who the caller is; and the weights' what-if preview.
 */
class DashboardApiTest {

    private static TestDatabase.Credentials db;
    private static TestService service;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        db = TestDatabase.fresh();
        service = new TestService(db, Map.of());
    }

    @AfterAll
    static void stop() {
        service.close();
        TestDatabase.drop(db);
    }

    private static HttpResponse<String> anonymous(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(service.url() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theDashboardsFilesAreOpenUnderAPolicyThatLoadsNothingFromElsewhere() throws Exception {
        HttpResponse<String> page = anonymous("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("<script type=\"module\" src=\"/ui/app.js\"></script>").doesNotContain("http");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("default-src 'self'", "frame-ancestors 'none'");
        for (String file : new String[]{"/ui/app.js", "/ui/lib.js", "/ui/pages/cluster.js", "/ui/style.css",
                "/ui/vendor/uplot/uPlot.esm.js", "/ui/vendor/uplot/LICENSE"}) {
            HttpResponse<String> r = anonymous(file);
            assertThat(r.statusCode()).as(file).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(file).isPresent();
        }
        // No file asks for anything outside the service (works offline).
        for (String file : new String[]{"/ui/app.js", "/ui/lib.js", "/ui/pages/cluster.js", "/ui/pages/queue.js",
                "/ui/pages/weights.js", "/ui/pages/runs.js", "/ui/pages/emissions.js", "/ui/pages/actions.js",
                "/ui/pages/capacity.js", "/ui/style.css"}) {
            assertThat(anonymous(file).body()).as(file).doesNotContainPattern("https?://");
        }
        assertThat(anonymous("/ui/no-such-file.js").statusCode()).isEqualTo(404);
        // Browsers ask every document of the origin for it; a 404 would be a console error on each.
        assertThat(anonymous("/favicon.ico").statusCode()).isEqualTo(200);
        // The data stays behind the token.
        assertThat(anonymous("/v1/cluster").statusCode()).isEqualTo(401);
        assertThat(anonymous("/v1/me").statusCode()).isEqualTo(401);
    }

    @Test
    void meNamesTheCallerAndItsRoles() {
        String token = service.tokenFor("dash-me", Roles.REPORTER);
        JsonNode me = service.call("GET", "/v1/me", null, token).json();
        assertThat(me.get("name").asText()).isEqualTo("dash-me");
        assertThat(me.get("roles")).extracting(JsonNode::asText).containsExactly(Roles.REPORTER);
    }

    @Test
    void thePreviewComparesTheLatestRunsQueueUnderBothWeightsAndChangesNothing() throws Exception {
        // One node; carbon 900 g/kWh but 50 in hour 5, power 50 USD/MWh but 2,000 in hour 5. A one-hour job that
        // may start in the next ten hours goes to hour 5 at a high carbon price, and anywhere else without it.
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        ObjectNode signals = TestSignals.hourly(hour, 48, "test", (zone, h) -> h == 5 ? 50 : 900,
                (zone, h) -> h == 5 ? 2000 : 50, h -> false, "A");
        assertThat(service.put("/v1/cluster", """
                {"zones": [{"id": "A", "pue": 1.2}],
                 "nodes": [{"id": "n1", "zone": "A", "gpuModel": "L4", "gpuCount": 2, "cpuMillis": 32000,
                   "memoryMiB": 131072, "costPerHour": 2, "baseWatts": 300, "gpuBusyWatts": 200}],
                 "running": []}""").status()).isEqualTo(200);
        assertThat(service.put("/v1/signals", signals.toString()).status()).isEqualTo(200);
        assertThat(service.put("/v1/weights", "{\"weights\": {\"carbonPriceUsdPerTonne\": 10000}, \"reason\": "
                + "\"expensive carbon\"}").status()).isEqualTo(200);
        String job = "{\"id\": \"shift-me\", \"tasks\": 1, \"priority\": 10, \"gpu\": {\"kind\": \"WHOLE\", \"count\": 1},"
                + " \"cpuMillis\": 1000, \"memoryMiB\": 1024, \"durationHours\": 1, \"utilization\": 1, \"deadline\": \""
                + hour.plus(10, ChronoUnit.HOURS) + "\"}";
        String id = service.post("/v1/optimizations", "{\"jobs\": [" + job + "], \"seconds\": 1}").json().get("id").asText();
        for (int i = 0; i < 100 && !service.get("/v1/optimizations/" + id).json().get("status").asText().equals("DONE"); i++) {
            Thread.sleep(100);
        }

        TestService.Reply reply = service.post("/v1/weights/preview", "{\"weights\": {\"carbonCostWeight\": 0}, "
                + "\"seconds\": 1}");
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        JsonNode p = reply.json();
        assertThat(p.get("queue").asText()).contains("optimization " + id, "1 jobs");
        assertThat(p.at("/current/placedTasks").asInt()).isEqualTo(1);
        assertThat(p.at("/proposed/placedTasks").asInt()).isEqualTo(1);
        assertThat(p.get("changes")).hasSize(1);
        JsonNode change = p.get("changes").get(0);
        assertThat(change.get("job").asText()).isEqualTo("shift-me");
        assertThat(change.get("current").asText()).isEqualTo("n1 from slot 5");
        assertThat(change.get("proposed").asText()).startsWith("n1 from slot ").isNotEqualTo("n1 from slot 5");
        // Carbon off: more CO2e, less cost.
        assertThat(p.at("/proposed/totals/co2eKg").asDouble()).isGreaterThan(p.at("/current/totals/co2eKg").asDouble());
        assertThat(p.at("/proposed/costUsd").asDouble()).isLessThan(p.at("/current/costUsd").asDouble());
        // Nothing was applied.
        assertThat(service.get("/v1/weights").json().get("weights").get("carbonCostWeight").asDouble()).isEqualTo(1);
        assertThat(service.get("/v1/weights/history").json()).hasSize(2);
    }

    @Test
    void aPreviewOfWeightsThatDoNotReadIsA400NamingTheKnobAndReportersMayNotAsk() {
        TestService.Reply bad = service.post("/v1/weights/preview", "{\"weights\": {\"carbonPriceUsdPerTonne\": -1}}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("field").asText()).isEqualTo("weights.carbonPriceUsdPerTonne");
        TestService.Reply unknown = service.post("/v1/weights/preview", "{\"weights\": {\"nope\": 1}}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("field").asText()).startsWith("weights.");
        TestService.Reply seconds = service.post("/v1/weights/preview", "{\"weights\": {}, \"seconds\": 11}");
        assertThat(seconds.status()).isEqualTo(400);
        assertThat(seconds.json().get("field").asText()).isEqualTo("seconds");
        assertThat(service.post("/v1/weights/preview", "{}").json().get("field").asText()).isEqualTo("weights");
        assertThat(service.call("POST", "/v1/weights/preview", "{\"weights\": {}}",
                service.tokenFor("dash-reader", Roles.REPORTER)).status()).isEqualTo(403);
    }
}
