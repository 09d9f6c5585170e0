package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.connectors.signals.ReplayServer;
import io.gpuplacer.connectors.signals.ReplayServer.Answer;
import io.gpuplacer.service.signals.SignalRefresh;
import io.gpuplacer.service.state.ClusterState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service with four configured sources against local servers replaying the providers' documented payloads,
 * built from the real DE-LU 2024 series moved to today: Electricity Maps (24 measured hours and an 10-hour
 * forecast, so the rest of the horizon is filled), the Spot Advisor feed excerpt, a fixed spot pool, and a WattTime
 * account the provider refuses (401). Each cycle is started by the test (the refresh is an hour).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SignalSourcesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestDatabase.Credentials db;
    private static TestService service;
    private static ReplayServer emaps;
    private static ReplayServer spotFeed;
    private static ReplayServer wattTime;
    private static List<ReplayServer.Hour> de;
    private static Instant hour;

    @BeforeAll
    static void start() throws Exception {
        awayFromTheHourTurn();
        hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        de = ReplayServer.series("de-2024-hourly.csv");
        emaps = new ReplayServer();
        emaps.on("/v3/carbon-intensity/history", Answer.ok(emapsAnswer("history", -23, 1).toString()));
        emaps.on("/v3/carbon-intensity/forecast", Answer.ok(emapsAnswer("forecast", 1, 11).toString()));
        spotFeed = new ReplayServer();
        try (InputStream in = ReplayServer.class.getResourceAsStream("/signals/spot-advisor-excerpt.json")) {
            spotFeed.on("/spot-advisor-data.json", Answer.ok(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
        wattTime = new ReplayServer();
        wattTime.on("/login", Answer.status(401));
        db = TestDatabase.fresh();
        Map<String, Object> props = new HashMap<>();
        props.put("gpuplacer.signals.refresh", "1h");
        props.put("gpuplacer.signals.first-tick", "1h"); // the test runs each cycle itself
        props.put("gpuplacer.signals.attempts", 2);
        props.put("gpuplacer.signals.backoff", "10ms");
        props.put("gpuplacer.signals.timeout", "2s");
        props.put("gpuplacer.signals.sources", List.of(
                Map.of("zone", "DE-LU", "signal", "carbon", "provider", "electricitymaps", "url",
                        emaps.base().toString(), "provider-zone", "DE", "token", "test-token"),
                Map.of("pool", "p4d-east", "signal", "spot", "provider", "aws-spot-advisor", "url",
                        spotFeed.base() + "/spot-advisor-data.json", "region", "us-east-1",
                        "instance-type", "p4d.24xlarge"),
                Map.of("pool", "reserved-spot", "signal", "spot", "provider", "fixed", "interruptionPerHour", "0.004"),
                Map.of("zone", "US-CAL-CISO", "signal", "carbon", "provider", "watttime", "url",
                        wattTime.base().toString(), "region", "CAISO_NORTH", "username", "u", "password", "p")));
        service = new TestService(db, props);
    }

    @AfterAll
    static void stop() {
        service.close();
        TestDatabase.drop(db);
        emaps.close();
        spotFeed.close();
        wattTime.close();
    }

    /** Electricity Maps' shape for the hours [hour + from, hour + to), DE-LU 2024 values from the series' start. */
    private static ObjectNode emapsAnswer(String kind, int from, int to) {
        ObjectNode body = JSON.createObjectNode();
        body.put("zone", "DE");
        ArrayNode points = body.putArray(kind);
        for (int h = from; h < to; h++) {
            ObjectNode p = points.addObject();
            p.put("zone", "DE");
            p.put("carbonIntensity", value(h));
            p.put("datetime", hour.plus(h, ChronoUnit.HOURS).toString().replace("Z", ".000Z"));
            p.put("isEstimated", false);
            p.putNull("estimationMethod");
            p.put("emissionFactorType", "lifecycle");
        }
        return body;
    }

    private static double value(int offset) {
        return de.get(offset + 23).value();
    }

    private static void cycle() {
        service.context().getBean(SignalRefresh.class).cycle(Instant.now());
    }

    private static JsonNode status(String zone) {
        for (JsonNode s : service.get("/v1/signals/status").json().get("sources")) {
            if (s.get("zone").asText().equals(zone)) {
                return s;
            }
        }
        throw new AssertionError("no status for " + zone);
    }

    private static JsonNode carbonAt(JsonNode signals, String zone, int offset) {
        String at = hour.plus(offset, ChronoUnit.HOURS).toString();
        for (JsonNode p : signals.get("zones").get(zone).get("carbon")) {
            if (p.get("at").asText().equals(at)) {
                return p;
            }
        }
        throw new AssertionError("no carbon point at " + at);
    }

    @Test
    @Order(1)
    void aCycleFetchesStoresAndPutsTheSeriesInForceFillingWhereTheProviderEnds() throws Exception {
        cycle();
        JsonNode signals = service.get("/v1/signals").json();
        // The horizon's hours: the measured hour now, 10 forecast hours, the rest repeating the day before.
        JsonNode now = carbonAt(signals, "DE-LU", 0);
        assertThat(now.get("gPerKWh").asDouble()).isEqualTo(value(0));
        assertThat(now.get("estimated").asBoolean()).isFalse();
        assertThat(now.get("provider").asText()).isEqualTo("electricitymaps");
        assertThat(now.get("emissionFactorType").asText()).isEqualTo("lifecycle");
        JsonNode forecast = carbonAt(signals, "DE-LU", 5);
        assertThat(forecast.get("gPerKWh").asDouble()).isEqualTo(value(5));
        assertThat(forecast.get("estimated").asBoolean()).isTrue();
        JsonNode filled = carbonAt(signals, "DE-LU", 20); // hour -4 of the history, 24 hours before
        assertThat(filled.get("gPerKWh").asDouble()).isEqualTo(value(-4));
        assertThat(filled.get("estimated").asBoolean()).isTrue();
        assertThat(filled.get("estimationMethod").asText()).contains("24 hours before");
        assertThat(carbonAt(signals, "DE-LU", 40).get("gPerKWh").asDouble()).isEqualTo(value(-8));
        // The day before stays in the document as measured: the ledger prices the hours just past with it.
        JsonNode yesterday = carbonAt(signals, "DE-LU", -20);
        assertThat(yesterday.get("gPerKWh").asDouble()).isEqualTo(value(-20));
        assertThat(yesterday.get("estimated").asBoolean()).isFalse();
        // Zones without a source keep the bundled example's series.
        assertThat(signals.get("zones").get("US-TEX-ERCO").get("carbon").get(0).has("provider")).isFalse();
        // Spot pools: the feed's 10-15% bucket for p4d.24xlarge in us-east-1, and the fixed value.
        assertThat(signals.get("spot").get("p4d-east").get("interruptionPerHour").asDouble())
                .isCloseTo(-Math.log(1 - 0.125) / 730, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(signals.get("spot").get("reserved-spot").get("interruptionPerHour").asDouble()).isEqualTo(0.004);

        JsonNode em = status("DE-LU");
        assertThat(em.get("signal").asText()).isEqualTo("carbon");
        assertThat(em.get("provider").asText()).isEqualTo("electricitymaps");
        assertThat(em.get("horizonHoursCovered").asInt()).isEqualTo(11);
        assertThat(em.get("estimatedHours").asInt()).isEqualTo(47);
        assertThat(em.get("ageSeconds").asLong()).isBetween(0L, 60L);
        assertThat(em.get("lastError").isNull()).isTrue();
        assertThat(status("p4d-east").get("horizonHoursCovered").asInt()).isEqualTo(48);

        // Each fetch is stored with its provider and retrieval time, each point with the provider's flags.
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             ResultSet r = c.createStatement().executeQuery("SELECT f.provider, f.ok, f.hours, COUNT(p.id), "
                     + "SUM(p.estimated), MIN(p.emission_factor_type) FROM signal_fetch f LEFT JOIN signal_point p "
                     + "ON p.fetch_id = f.id WHERE f.zone = 'DE-LU' GROUP BY f.id, f.provider, f.ok, f.hours")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).isEqualTo("electricitymaps");
            assertThat(r.getBoolean(2)).isTrue();
            assertThat(r.getInt(3)).isEqualTo(34);
            assertThat(r.getInt(4)).isEqualTo(34);
            assertThat(r.getInt(5)).isEqualTo(10);
            assertThat(r.getString(6)).isEqualTo("lifecycle");
        }
    }

    @Test
    @Order(2)
    void aProviderThatRefusesTheCredentialsIsAConfigurationErrorAskedOnce() {
        cycle();
        cycle();
        JsonNode wt = status("US-CAL-CISO");
        assertThat(wt.get("lastSuccess").isNull()).isTrue();
        assertThat(wt.get("ageSeconds").isNull()).isTrue();
        assertThat(wt.get("lastError").asText()).startsWith("configuration:").contains("401")
                .contains("not asked again");
        assertThat(wattTime.requestsTo("/login")).isEqualTo(1);
        assertThat(wattTime.seen).noneSatisfy(s -> assertThat(s.pathAndQuery()).startsWith("/v3"));
        // Its zone keeps the series it had.
        assertThat(service.get("/v1/signals").json().get("zones").get("US-CAL-CISO").get("carbon").get(0)
                .has("provider")).isFalse();
    }

    @Test
    @Order(3)
    void aFailingProviderLeavesItsDataInForceAndAProviderThatComesBackIsTaken() {
        String before = service.get("/v1/signals").json().get("zones").get("DE-LU").toString();
        emaps.on("/v3/carbon-intensity/history", Answer.status(503));
        cycle();
        JsonNode failing = status("DE-LU");
        assertThat(failing.get("lastError").asText()).startsWith("unavailable:").contains("503");
        assertThat(failing.get("lastSuccess").isNull()).isFalse();
        assertThat(failing.get("horizonHoursCovered").asInt()).isEqualTo(11);
        assertThat(service.get("/v1/signals").json().get("zones").get("DE-LU").toString()).isEqualTo(before);

        // A malformed answer is rejected whole: nothing of it is stored or put in force.
        ObjectNode bad = emapsAnswer("history", -23, 1);
        ((ObjectNode) bad.get("history").get(3)).put("carbonIntensity", "n/a");
        emaps.on("/v3/carbon-intensity/history", Answer.ok(bad.toString()));
        cycle();
        assertThat(status("DE-LU").get("lastError").asText()).startsWith("malformed:").contains("history[3]");
        assertThat(service.get("/v1/signals").json().get("zones").get("DE-LU").toString()).isEqualTo(before);

        ObjectNode longer = emapsAnswer("forecast", 1, 48);
        emaps.on("/v3/carbon-intensity/history", Answer.ok(emapsAnswer("history", -23, 1).toString()));
        emaps.on("/v3/carbon-intensity/forecast", Answer.ok(longer.toString()));
        cycle();
        JsonNode back = status("DE-LU");
        assertThat(back.get("lastError").isNull()).isTrue();
        assertThat(back.get("horizonHoursCovered").asInt()).isEqualTo(48);
        assertThat(back.get("estimatedHours").asInt()).isEqualTo(47); // the forecast hours
        assertThat(carbonAt(service.get("/v1/signals").json(), "DE-LU", 40).get("gPerKWh").asDouble())
                .isEqualTo(value(40));
    }

    @Test
    @Order(4)
    void aPutWinsForTheZonesItNamesUntilTheNextFetch() {
        String put = "{\"zones\": {\"DE-LU\": {\"carbon\": [{\"at\": \"" + hour + "\", \"gPerKWh\": 1.5}]}}}";
        assertThat(service.put("/v1/signals", put).status()).isEqualTo(200);
        JsonNode signals = service.get("/v1/signals").json();
        assertThat(signals.get("zones").get("DE-LU").get("carbon")).hasSize(1);
        assertThat(signals.get("zones").get("US-TEX-ERCO").get("carbon").size()).isGreaterThan(1); // kept
        assertThat(signals.get("spot").has("p4d-east")).isTrue(); // kept
        cycle();
        assertThat(carbonAt(service.get("/v1/signals").json(), "DE-LU", 0).get("gPerKWh").asDouble())
                .isEqualTo(value(0));
    }

    @Test
    @Order(5)
    void theModelTakesPoolRatesAndExplanationsSayWhichHoursAreEstimated() throws Exception {
        ObjectNode cluster = (ObjectNode) service.get("/v1/cluster").json();
        for (JsonNode node : cluster.get("nodes")) {
            if (node.get("id").asText().startsWith("h100-spot")) {
                ((ObjectNode) node).put("pool", "reserved-spot");
            }
            if (!node.get("zone").asText().equals("DE-LU")) {
                ((ObjectNode) node).put("schedulable", false); // the job below can only go to DE-LU
            }
        }
        assertThat(service.put("/v1/cluster", cluster.toString()).status()).isEqualTo(200);
        var base = service.context().getBean(ClusterState.class).view().base();
        assertThat(base.node("h100-spot-1").interruptionPerHour()).isEqualTo(0.004);
        assertThat(base.node("h100-001").interruptionPerHour()).isZero();

        ObjectNode job = Recommendations.job("estimated-hours", 1, "{\"kind\":\"WHOLE\",\"count\":8}", "ANY");
        job.put("durationHours", 30.0); // hours 0..29: 29 of them forecast, none past the horizon
        JsonNode answer = service.post("/v1/recommendations", "{\"job\": " + job + "}").json();
        assertThat(answer.get("recommendations")).as(answer.toString()).isNotEmpty();
        for (JsonNode r : answer.get("recommendations")) {
            assertThat(r.get("explanation").toString()).contains("in DE-LU those hours")
                    .contains("(29 h on estimated signals)");
        }
    }

    @Test
    @Order(6)
    void thePrometheusGaugesShowTheSameFreshness() {
        String metrics = service.get("/prometheus").text();
        assertThat(metrics).contains("gpuplacer_signal_horizon_hours_covered{provider=\"electricitymaps\","
                + "signal=\"carbon\",zone=\"DE-LU\"} 48.0");
        assertThat(metrics).contains("gpuplacer_signal_failing{provider=\"watttime\",signal=\"carbon\","
                + "zone=\"US-CAL-CISO\"} 1.0");
        assertThat(metrics).containsPattern("gpuplacer_signal_age_seconds\\{provider=\"fixed\",signal=\"spot\","
                + "zone=\"reserved-spot\"} \\d");
        assertThat(metrics).contains("gpuplacer_signal_fetches_total{outcome=\"configuration\",provider=\"watttime\"");
    }

    @Test
    @Order(7)
    void fetchesOlderThanTheRetentionGoWithTheirPoints() throws Exception {
        var store = service.context().getBean(io.gpuplacer.service.persistence.SignalStore.class);
        long recent = store.latest("DE-LU", "carbon", "electricitymaps").orElseThrow().id();
        Instant old = Instant.now().minus(java.time.Duration.ofDays(91));
        long id = store.record(new io.gpuplacer.service.persistence.SignalFetchRecord(null, "DE-LU", "carbon",
                "electricitymaps", old, old, true, 1, null, null), List.of(new io.gpuplacer.service.persistence
                .SignalPointRecord(null, 0, old.truncatedTo(ChronoUnit.HOURS), 300, false, null, null))).id();
        assertThat(store.pointsOf(id)).hasSize(1);
        service.context().getBean(io.gpuplacer.service.state.StateRetention.class).purge();
        assertThat(store.pointsOf(id)).isEmpty();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             ResultSet r = c.createStatement().executeQuery("SELECT id FROM signal_fetch WHERE id IN (" + id + ", "
                     + recent + ")")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getLong(1)).isEqualTo(recent);
            assertThat(r.next()).isFalse();
        }
        assertThat(store.pointsOf(recent)).isNotEmpty();
    }

    /** The fixtures are keyed to the current hour: wait out the last 30 seconds before it turns. */
    private static void awayFromTheHourTurn() throws InterruptedException {
        Instant now = Instant.now();
        long left = now.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS).getEpochSecond() - now.getEpochSecond();
        if (left < 60) {
            Thread.sleep((left + 1) * 1000);
        }
    }
}
