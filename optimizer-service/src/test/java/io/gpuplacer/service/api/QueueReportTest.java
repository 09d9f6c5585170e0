package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The queue report and the emission report by queue, on a real MySQL-family server: two snapshots two hours apart
 * of one H100 node shared by queues nlp (nominal 4, running 6: it borrows 2) and vision (nominal 4, running 2: it
 * lends 2); arrivals and preemptions written as the service writes them. The figures are worked out here by hand.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueueReportTest {

    private static TestDatabase.Credentials db;
    private static TestService service;
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(6, ChronoUnit.HOURS);

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.fresh();
        service = new TestService(db, Map.of());
        assertThat(service.put("/v1/cluster", cluster(T0)).status()).isEqualTo(200);
        TestService.Reply signals = service.put("/v1/signals", TestSignals.hourly(T0, 24, "test-grid",
                (zone, h) -> 100, (zone, h) -> 50, h -> false, "A").toString());
        assertThat(signals.status()).as(signals.text()).isEqualTo(200);
        TestService.Reply put = service.put("/v1/cluster", cluster(T0.plus(2, ChronoUnit.HOURS)));
        assertThat(put.status()).as(put.text()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        service.close();
        TestDatabase.drop(db);
    }

    private static String cluster(Instant observedAt) {
        return """
                {"observedAt": "%s", "zones": [{"id": "A", "pue": 1.0}],
                 "nodes": [{"id": "h1", "zone": "A", "gpuModel": "H100-80GB", "gpuCount": 8, "cpuMillis": 64000,
                   "memoryMiB": 524288, "costPerHour": 0, "baseWatts": 800, "gpuBusyWatts": 100}],
                 "queues": [
                   {"id": "nlp", "cohort": "lab", "quotas": [{"flavor": "H100-80GB", "nominalGpus": 4}]},
                   {"id": "vision", "cohort": "lab", "quotas": [{"flavor": "H100-80GB", "nominalGpus": 4}]}],
                 "running": [
                   {"job": "train", "task": 0, "node": "h1", "gpus": [0,1,2,3,4,5], "remainingHours": 50,
                    "queue": "nlp", "team": "t", "priority": 10, "gpu": {"kind": "WHOLE", "count": 6},
                    "cpuMillis": 1000, "memoryMiB": 1024, "utilization": 1.0},
                   {"job": "eval", "task": 0, "node": "h1", "gpus": [6,7], "remainingHours": 50, "team": "vision",
                    "priority": 10, "gpu": {"kind": "WHOLE", "count": 2}, "cpuMillis": 1000, "memoryMiB": 1024,
                    "utilization": 1.0}]}""".formatted(observedAt);
    }

    private static JsonNode queues(Instant from) {
        TestService.Reply r = service.get("/v1/reports/queues?from=" + from + "&to=" + T0.plus(12, ChronoUnit.HOURS));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    private static JsonNode row(JsonNode report, String queue) {
        for (JsonNode row : report.get("queues")) {
            if (row.get("queue").asText().equals(queue)) {
                return row;
            }
        }
        throw new AssertionError("no queue " + queue + " in " + report);
    }

    // By hand: h1 draws 800 W base split 6:2 by GPU share, plus 100 W x 1.0 per GPU busy; PUE 1; 100 g/kWh; 2 hours.
    // train (nlp): (600 + 600) W x 2 h = 2.4 kWh, 0.24 kg; eval (vision): (200 + 200) W x 2 h = 0.8 kWh, 0.08 kg.

    @Test
    @Order(1)
    void theEmissionReportGroupsByQueue() {
        TestService.Reply r = service.get("/v1/reports/emissions?from=" + T0 + "&to=" + T0.plus(12, ChronoUnit.HOURS)
                + "&groupBy=queue");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        Map<String, Double> co2e = new java.util.TreeMap<>();
        r.json().get("rows").forEach(row -> co2e.put(row.get("queue").asText(), row.get("co2eKg").asDouble()));
        assertThat(co2e.keySet()).containsExactly("nlp", "vision");
        assertThat(co2e.get("nlp")).isCloseTo(0.24, within(1e-9));
        assertThat(co2e.get("vision")).isCloseTo(0.08, within(1e-9));
    }

    @Test
    @Order(2)
    void quotaUseBorrowingLendingAndEnergyPerQueue() {
        JsonNode report = queues(T0);
        assertThat(report.get("method").asText()).contains("quotaUse = usedGpuHours / nominalGpuHours");
        JsonNode nlp = row(report, "nlp");
        assertThat(nlp.get("nominalGpuHours").asDouble()).isCloseTo(8, within(1e-9));
        assertThat(nlp.get("usedGpuHours").asDouble()).isCloseTo(12, within(1e-9));
        assertThat(nlp.get("quotaUse").asDouble()).isCloseTo(1.5, within(1e-9));
        assertThat(nlp.get("borrowedGpuHours").asDouble()).isCloseTo(4, within(1e-9));
        assertThat(nlp.get("lentGpuHours").asDouble()).isZero();
        assertThat(nlp.get("energyKWh").asDouble()).isCloseTo(2.4, within(1e-9));
        JsonNode vision = row(report, "vision");
        assertThat(vision.get("quotaUse").asDouble()).isCloseTo(0.5, within(1e-9));
        assertThat(vision.get("borrowedGpuHours").asDouble()).isZero();
        assertThat(vision.get("lentGpuHours").asDouble()).as("what nlp borrows is vision's idle quota")
                .isCloseTo(4, within(1e-9));
        assertThat(vision.get("co2eKg").asDouble()).isCloseTo(0.08, within(1e-9));
        // An hour later: the quota hours of that hour only.
        assertThat(row(queues(T0.plus(1, ChronoUnit.HOURS)), "nlp").get("usedGpuHours").asDouble())
                .isCloseTo(6, within(1e-9));
    }

    @Test
    @Order(3)
    void waitsFromTheLastArrivalBeforeTheStartAndPreemptionsCarriedOut() throws Exception {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            // train: seen 10 days before (another job of that name), 3 h before its start, and again after it.
            for (Instant at : new Instant[]{T0.minus(10, ChronoUnit.DAYS), T0.minus(3, ChronoUnit.HOURS),
                    T0.plus(1, ChronoUnit.HOURS)}) {
                try (PreparedStatement st = c.prepareStatement("INSERT INTO job_arrival (job, team, source, "
                        + "arrived_at, earliest_start, latest_start, tasks, state_version, bound) VALUES ('train', "
                        + "'t', 'optimization', ?, ?, ?, 1, 1, '{}')")) {
                    st.setTimestamp(1, Timestamp.from(at));
                    st.setTimestamp(2, Timestamp.from(at));
                    st.setTimestamp(3, Timestamp.from(at));
                    st.executeUpdate();
                }
            }
            // Preemptions of nlp work: one carried out in the period, one dry run, one carried out before it.
            Object[][] actions = {{"APPLIED", T0.plus(1, ChronoUnit.HOURS), 0.35}, {"DRY_RUN", T0.plus(1,
                    ChronoUnit.HOURS), 9.0}, {"APPLIED", T0.minus(1, ChronoUnit.HOURS), 9.0}};
            for (Object[] a : actions) {
                try (PreparedStatement st = c.prepareStatement("INSERT INTO cluster_action (created_at, updated_at, "
                        + "kind, target, job, nodes, status, reason, attempts, for_job, preemption_reason, "
                        + "victim_queue, lost_gpu_hours) VALUES (?, ?, 'PREEMPT', 'nlp/p', 'p#0', 'h1', ?, 'r', 1, "
                        + "'x', 'InCohortReclamation', 'nlp', ?)")) {
                    st.setTimestamp(1, Timestamp.from((Instant) a[1]));
                    st.setTimestamp(2, Timestamp.from((Instant) a[1]));
                    st.setString(3, (String) a[0]);
                    st.setDouble(4, (Double) a[2]);
                    st.executeUpdate();
                }
            }
        }
        JsonNode report = queues(T0);
        JsonNode nlp = row(report, "nlp");
        assertThat(nlp.get("jobsStarted").asInt()).isEqualTo(1);
        assertThat(nlp.get("waitsMeasured").asInt()).isEqualTo(1);
        assertThat(nlp.get("waitMeanHours").asDouble()).isCloseTo(3, within(1e-9));
        assertThat(nlp.get("waitP95Hours").asDouble()).isCloseTo(3, within(1e-9));
        assertThat(nlp.get("preemptions").asInt()).isEqualTo(1);
        assertThat(nlp.get("lostGpuHours").asDouble()).isCloseTo(0.35, within(1e-9));
        JsonNode vision = row(report, "vision");
        assertThat(vision.get("jobsStarted").asInt()).isEqualTo(1);
        assertThat(vision.get("waitsMeasured").asInt()).as("no arrival recorded for eval").isZero();
        assertThat(vision.get("waitMeanHours").isNull()).isTrue();
        assertThat(vision.get("preemptions").asInt()).isZero();
        // From an hour on, train and eval ran before: no start in the period.
        assertThat(row(queues(T0.plus(1, ChronoUnit.HOURS)), "nlp").get("jobsStarted").asInt()).isZero();
    }

    @Test
    @Order(4)
    void badPeriodsAreRefusedNamingTheField() {
        TestService.Reply r = service.get("/v1/reports/queues?from=yesterday&to=" + T0);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).startsWith("from: \"yesterday\" is not an ISO-8601 UTC instant");
        assertThat(service.get("/v1/reports/queues?from=" + T0 + "&to=" + T0).status()).isEqualTo(400);
    }
}
