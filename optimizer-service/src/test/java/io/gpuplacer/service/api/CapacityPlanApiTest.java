package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.service.persistence.DemandHistoryReader;
import io.gpuplacer.service.security.Roles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Capacity planning on the service's own ledger (MariaDB): four weeks of hourly task rows (10 GPUs, 50 for twelve
 * hours every week) and an arrival that waited three hours; the history as the ledger gives it, the plan and its
 * chart over HTTP, bad input named, roles kept.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CapacityPlanApiTest {

    /** A ledger row of node h1 in SE: hour, part start and end, row kind, job, GPU share; one hour, made up sums. */
    private static final String LEDGER_ROW = "INSERT INTO ledger_row (snapshot_id, hour_start, part_start, part_end, "
            + "row_kind, job, task, team, node, zone, gpu_model, gpu_share, hours, utilization, energy_kwh, co2e_kg, "
            + "cost_usd, embodied_co2e_kg, intensity_grams_per_kwh, intensity_estimated, price_usd_per_mwh, "
            + "energy_measured) VALUES (1, ?, ?, ?, ?, ?, 0, 't', 'h1', 'SE', 'H100-80GB', ?, 1, 1, 1, 0.04, 0.06, 0, "
            + "40, FALSE, 60, FALSE)";

    TestDatabase.Credentials db;
    TestService service;
    final Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS);
    final Instant start = now.minus(4 * 168, ChronoUnit.HOURS);

    /** The week's burst: twelve hours from hour 9 of each week of the history. */
    boolean burst(Instant h) {
        long inWeek = Math.floorMod(ChronoUnit.HOURS.between(start, h), 168L);
        return inWeek >= 9 && inWeek < 21;
    }

    @BeforeAll
    void start() throws Exception {
        db = TestDatabase.fresh();
        Path catalogue = Files.createTempFile("catalogue", ".json");
        Files.writeString(catalogue, """
                {"nodeTypes": [{"id": "dgx-h100", "zone": "SE", "gpuModel": "H100-80GB", "gpuCount": 8,
                  "leadTimeWeeks": 0, "capexUsd": 400000, "lifetimeYears": 5, "baseWatts": 1500,
                  "gpuBusyWatts": 700, "embodiedKgCo2e": 25000}]}""");
        service = new TestService(db, Map.of("gpuplacer.load-example", false, "gpuplacer.capacity.catalogue-file",
                catalogue.toString()));
        assertThat(service.put("/v1/cluster", """
                {"zones": [{"id": "SE", "pue": 1.1}], "nodes": [
                  {"id": "h1", "zone": "SE", "gpuModel": "H100-80GB", "gpuCount": 8, "cpuMillis": 192000,
                   "memoryMiB": 2097152, "costPerHour": 30, "baseWatts": 1000, "gpuBusyWatts": 700},
                  {"id": "h2", "zone": "SE", "gpuModel": "H100-80GB", "gpuCount": 8, "cpuMillis": 192000,
                   "memoryMiB": 2097152, "costPerHour": 30, "baseWatts": 1000, "gpuBusyWatts": 700}],
                 "running": []}""").status()).isEqualTo(200);
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            c.setAutoCommit(false);
            try (PreparedStatement zone = c.prepareStatement("INSERT INTO ledger_zone_hour (snapshot_id, hour_start, "
                    + "zone, intensity_grams_per_kwh, intensity_estimated, price_usd_per_mwh) VALUES (1, ?, 'SE', 40, "
                    + "FALSE, 60)");
                 PreparedStatement row = c.prepareStatement(LEDGER_ROW)) {
                for (Instant h = start; h.isBefore(now); h = h.plus(1, ChronoUnit.HOURS)) {
                    zone.setTimestamp(1, Timestamp.from(h));
                    zone.addBatch();
                    // The task rows of the hour (and an unallocated row, which is not demand).
                    Object[][] rows = {{"task", "base", 10.0}, {"task", "burst", burst(h) ? 40.0 : 0.0},
                            {"unallocated", null, 6.0}};
                    for (Object[] r : rows) {
                        row.setTimestamp(1, Timestamp.from(h));
                        row.setTimestamp(2, Timestamp.from(h));
                        row.setTimestamp(3, Timestamp.from(h.plus(1, ChronoUnit.HOURS)));
                        row.setString(4, (String) r[0]);
                        row.setString(5, (String) r[1]);
                        row.setDouble(6, (Double) r[2]);
                        row.addBatch();
                    }
                }
                zone.executeBatch();
                row.executeBatch();
            }
            // A job that arrived ten hours ago and first ran three hours later: 8 GPUs waiting for three hours.
            try (PreparedStatement a = c.prepareStatement("INSERT INTO job_arrival (job, team, source, arrived_at, "
                    + "earliest_start, latest_start, tasks, state_version, bound, gpu_share, gpu_model, zone) VALUES "
                    + "('late', 't', 'optimization', ?, ?, ?, 1, 1, '[]', 8, 'H100-80GB', 'SE')");
                 PreparedStatement r = c.prepareStatement(LEDGER_ROW)) {
                Instant arrived = now.minus(10, ChronoUnit.HOURS).plus(20, ChronoUnit.MINUTES);
                a.setTimestamp(1, Timestamp.from(arrived));
                a.setTimestamp(2, Timestamp.from(arrived));
                a.setTimestamp(3, Timestamp.from(arrived));
                a.executeUpdate();
                Instant ran = now.minus(7, ChronoUnit.HOURS);
                r.setTimestamp(1, Timestamp.from(ran));
                r.setTimestamp(2, Timestamp.from(ran));
                r.setTimestamp(3, Timestamp.from(ran.plus(1, ChronoUnit.HOURS)));
                r.setString(4, "task");
                r.setString(5, "late");
                r.setDouble(6, 0);
                r.executeUpdate();
            }
            c.commit();
        }
    }

    @AfterAll
    void stop() {
        service.close();
        TestDatabase.drop(db);
    }

    @Test
    void theLedgersHistoryIsTasksInUseAndArrivalsWaiting() {
        List<DemandHistoryReader.Row> rows = service.context().getBean(DemandHistoryReader.class).rows(start, now);
        assertThat(rows).hasSize(4 * 168); // one series, every hour the ledger covers
        for (DemandHistoryReader.Row r : rows) {
            long ago = ChronoUnit.HOURS.between(r.hour(), now);
            assertThat(r.usedGpus()).as(r.hour().toString()).isEqualTo(burst(r.hour()) ? 50.0 : 10.0);
            assertThat(r.pendingGpus()).as(r.hour().toString()).isEqualTo(ago >= 8 && ago <= 10 ? 8.0 : 0.0);
        }
    }

    @Test
    void thePlanBuysForTheBurstsAndTheChartDrawsIt() {
        TestService.Reply reply = service.call("GET", "/v1/capacity/plan?months=2", null,
                service.tokenFor("sustainability", Roles.REPORTER));
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        JsonNode plan = reply.json();
        // Bursts of 50 against 16 GPUs: five 8-GPU nodes, needed now (no lead time).
        assertThat(plan.get("purchases")).hasSize(1);
        assertThat(plan.get("purchases").get(0).get("count").asInt()).isEqualTo(5);
        assertThat(plan.get("history")).hasSize(4);
        assertThat(plan.get("history").get(0).get("peakGpus").asDouble()).isEqualTo(50);
        assertThat(plan.get("averageBased").get("purchases")).isEmpty();
        assertThat(plan.get("averageBased").get("shortfallGpuHours").asDouble()).isPositive();
        assertThat(plan.get("replay").get("plannedFleet").get("unplacedGpuHours").asDouble()).isZero();

        TestService.Reply chart = service.get("/v1/capacity/chart.svg?months=2");
        assertThat(chart.status()).isEqualTo(200);
        assertThat(chart.text()).startsWith("<svg").contains("any H100-80GB").contains("5 x dgx-h100 in SE");
    }

    @Test
    void badInputIsNamedAndOnlyReadersOfReportsSeeIt() {
        TestService.Reply months = service.get("/v1/capacity/plan?months=0");
        assertThat(months.status()).isEqualTo(400);
        assertThat(months.json().get("field").asText()).isEqualTo("months");
        TestService.Reply pin = service.get("/v1/capacity/plan?pinZones=maybe");
        assertThat(pin.status()).isEqualTo(400);
        assertThat(pin.json().get("field").asText()).isEqualTo("pinZones");
        assertThat(service.call("GET", "/v1/capacity/plan", null, service.tokenFor("kube", Roles.SCHEDULER))
                .status()).isEqualTo(403);
        assertThat(service.call("GET", "/v1/capacity/plan", null, null).status()).isEqualTo(401);
    }
}
