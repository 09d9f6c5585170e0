package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.service.ledger.ArrivalRecorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The savings of an emission report end to end: a job asked about (a recommendation) is recorded as arrived with
 * the carbon-agnostic first fit on that state, then runs elsewhere; the report compares the two. The figures are
 * worked out here from the node facts. Zone A (PUE 1.5) is 300 g/kWh, zone B (PUE 1.2) 100 g/kWh, 50 USD/MWh both.
 * Nodes in cluster order: a1 (A, both GPUs held by a running job), a2 (A, free), b1 (B, free).
 */
class LedgerSavingsTest {

    private static TestDatabase.Credentials db;
    private static TestService service;
    private static final Instant NOW = Instant.now();

    @BeforeAll
    static void start() {
        db = TestDatabase.fresh();
        service = new TestService(db, Map.of());
        ObjectNode signals = TestSignals.hourly(NOW.truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS), 48, "test",
                (zone, h) -> zone.equals("A") ? 300 : 100, (zone, h) -> 50, h -> false, "A", "B");
        assertThat(service.put("/v1/cluster", cluster(NOW.minus(2, ChronoUnit.MINUTES), "").toString()).status())
                .isEqualTo(200);
        assertThat(service.put("/v1/signals", signals.toString()).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        service.close();
        TestDatabase.drop(db);
    }

    static ObjectNode cluster(Instant observedAt, String running) {
        try {
            return (ObjectNode) TestService.JSON.readTree("""
                    {"observedAt": "%s",
                     "zones": [{"id": "A", "pue": 1.5}, {"id": "B", "pue": 1.2}],
                     "nodes": [
                      {"id": "a1", "zone": "A", "gpuModel": "L4", "gpuCount": 2, "cpuMillis": 32000, "memoryMiB": 131072,
                       "costPerHour": 3.0, "baseWatts": 400, "gpuBusyWatts": 300},
                      {"id": "a2", "zone": "A", "gpuModel": "L4", "gpuCount": 2, "cpuMillis": 32000, "memoryMiB": 131072,
                       "costPerHour": 4.0, "baseWatts": 400, "gpuBusyWatts": 300},
                      {"id": "b1", "zone": "B", "gpuModel": "L4", "gpuCount": 2, "cpuMillis": 32000, "memoryMiB": 131072,
                       "costPerHour": 2.0, "baseWatts": 200, "gpuBusyWatts": 250}],
                     "running": [
                      {"job": "busy", "task": 0, "node": "a1", "gpus": [0, 1], "remainingHours": 50, "team": "ops",
                       "priority": 10, "gpu": {"kind": "WHOLE", "count": 2}, "cpuMillis": 1000, "memoryMiB": 1024,
                       "utilization": 0.2}%s]}
                    """.formatted(observedAt, running));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String runningJ(String node) {
        return """
                ,{"job": "j", "task": 0, "node": "%s", "gpus": [0], "remainingHours": 1, "team": "ml", "priority": 10,
                  "gpu": {"kind": "WHOLE", "count": 1}, "cpuMillis": 1000, "memoryMiB": 1024, "utilization": 0.5}
                """.formatted(node);
    }

    private static final String JOB_J = """
            {"id": "j", "team": "ml", "priority": 10, "tasks": 1, "gpu": {"kind": "WHOLE", "count": 1},
             "cpuMillis": 1000, "memoryMiB": 1024, "gpuModels": ["L4"], "durationHours": 1, "utilization": 0.5}""";

    /**
     * An arrival whose save failed (its table away: a database fault) is recorded when the job is seen again. Fails
     * when the job is marked seen before the save: it then dropped out of the savings for 7 days.
     */
    @Test
    void anArrivalWhoseSaveFailedIsRecordedWhenTheJobIsSeenAgain() throws Exception {
        ArrivalRecorder recorder = service.context().getBean(ArrivalRecorder.class);
        String retry = JOB_J.replace("\"j\"", "\"retry\"");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(db.url(), db.user(), db.password());
             java.sql.Statement st = c.createStatement()) {
            st.execute("RENAME TABLE job_arrival TO job_arrival_away");
            try {
                assertThat(service.post("/v1/recommendations", "{\"job\": " + retry + "}").status()).isEqualTo(200);
                recorder.drain();
            } finally {
                st.execute("RENAME TABLE job_arrival_away TO job_arrival");
            }
            assertThat(service.post("/v1/recommendations", "{\"job\": " + retry + "}").status()).isEqualTo(200);
            recorder.drain();
            try (java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM job_arrival WHERE job = 'retry'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isOne();
            }
            assertThat(service.post("/v1/recommendations", "{\"job\": " + retry + "}").status()).isEqualTo(200);
            recorder.drain();
            try (java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM job_arrival WHERE job = 'retry'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("recorded once").isOne();
            }
        }
    }

    @Test
    void aJobPlacedInTheCleanZoneIsComparedWithWhereTheFirstFitWouldHavePutIt() {
        Instant asked = Instant.now();
        assertThat(service.post("/v1/recommendations", "{\"job\": " + JOB_J + "}").status()).isEqualTo(200);
        // The running job is not arriving; nor is a job that never runs counted.
        assertThat(service.post("/v1/recommendations", "{\"job\": " + JOB_J.replace("\"j\"", "\"never\"") + "}")
                .status()).isEqualTo(200);
        service.context().getBean(ArrivalRecorder.class).drain();

        Instant s2 = NOW.plus(1, ChronoUnit.MINUTES);
        Instant s3 = NOW.plus(3, ChronoUnit.MINUTES);
        assertThat(service.put("/v1/cluster", cluster(s2, runningJ("b1")).toString()).status()).isEqualTo(200);
        assertThat(service.put("/v1/cluster", cluster(s3, runningJ("b1")).toString()).status()).isEqualTo(200);

        Instant from = NOW.truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
        TestService.Reply reply = service.get("/v1/reports/emissions?from=" + from + "&to="
                + from.plus(3, ChronoUnit.HOURS));
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        JsonNode savings = reply.json().get("savings");
        assertThat(savings.get("jobs").asInt()).as(savings.toString()).isEqualTo(1);

        // The interval is exactly s3 - s2 although both carry fractions of a second: the ledger keeps whole
        // seconds, which every driver stores (it once ran 0.93 s long: MariaDB's driver dropped s2's fraction only).
        double hours = Duration.between(s2, s3).toMillis() / 3_600_000.0;
        // What ran: b1 alone with j: (200 + 250 x 0.5) W x 1.2 = 0.39 kW, at 100 g/kWh; its 2 USD/h is j's.
        double ranKWh = 0.39 * hours;
        assertThat(savings.at("/actual/energyKWh").asDouble()).isCloseTo(ranKWh, within(1e-9));
        assertThat(savings.at("/actual/co2eKg").asDouble()).isCloseTo(ranKWh * 100 / 1000, within(1e-9));
        // The first fit on the state j arrived to: a1 is full, so a2 (zone A), alone: (400 + 300 x 0.5) x 1.5
        // = 0.825 kW for as long as j ran, at 300 g/kWh; a2's 4 USD/h.
        double firstFitKWh = 0.825 * hours;
        assertThat(savings.at("/asCounterfactual/energyKWh").asDouble()).isCloseTo(firstFitKWh, within(1e-9));
        assertThat(savings.at("/asCounterfactual/co2eKg").asDouble()).isCloseTo(firstFitKWh * 300 / 1000,
                within(1e-9));
        assertThat(savings.at("/asCounterfactual/costUsd").asDouble()).isCloseTo(firstFitKWh * 50 / 1000
                + 4 * hours, within(1e-9));
        assertThat(savings.at("/saved/co2eKg").asDouble()).isCloseTo((firstFitKWh * 300 - ranKWh * 100) / 1000,
                within(1e-9));
        // The bound: b1 (zone B) is the least-emitting eligible node (a1 with its tenant: (400/3 + 150) x 1.5
        // = 0.425 kW at 300 g); so what ran is the bound, and all that could be saved was.
        assertThat(savings.at("/perfectForesight/co2eKg").asDouble()).isCloseTo(ranKWh * 100 / 1000, within(1e-9));
        assertThat(savings.get("achievedShare").asDouble()).isCloseTo(1.0, within(1e-6));
        // Delay: from the arrival (the recommendation) to the first snapshot that saw j running.
        double delay = savings.at("/delayHours/total").asDouble();
        assertThat(delay).isGreaterThan(0).isLessThanOrEqualTo(Duration.between(asked.minusSeconds(1), s2).toMillis()
                / 3_600_000.0);
        assertThat(savings.get("method").asText()).contains("first fit", "perfectForesight");

        // The chart draws the counterfactual as a line beside the stacked bars.
        TestService.Reply chart = service.get("/v1/reports/emissions/chart.svg?from=" + from + "&to="
                + from.plus(3, ChronoUnit.HOURS) + "&groupBy=team");
        assertThat(chart.status()).isEqualTo(200);
        assertThat(chart.text()).contains("<polyline", "as first fit: ");
    }
}
