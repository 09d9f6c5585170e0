package io.gpuplacer.model.accounting;

import io.gpuplacer.model.TestDocs;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.problem.Problem;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Section 6 worked out by hand on a three-slot problem. */
class AccountingTest {

    private static final String CLUSTER = """
            {"zones": [{"id": "Z", "pue": 1.5}],
             "nodes": [
              {"id": "n1", "zone": "Z", "gpuModel": "T4", "gpuCount": 2, "cpuMillis": 8000, "memoryMiB": 8192,
               "costPerHour": 2.0, "baseWatts": 100, "gpuBusyWatts": 200},
              {"id": "n2", "zone": "Z", "gpuModel": "T4", "gpuCount": 2, "cpuMillis": 8000, "memoryMiB": 8192,
               "capacityType": "SPOT", "interruptionPerHour": 0.1, "costPerHour": 1.0, "baseWatts": 50,
               "gpuBusyWatts": 100},
              {"id": "n3", "zone": "Z", "gpuCount": 0, "cpuMillis": 8000, "memoryMiB": 8192, "alwaysOn": true,
               "costPerHour": 0.5, "baseWatts": 40, "gpuBusyWatts": 0},
              {"id": "n4", "zone": "Z", "gpuModel": "T4", "gpuCount": 2, "cpuMillis": 8000, "memoryMiB": 8192,
               "healthy": false, "costPerHour": 9.0, "baseWatts": 1000, "gpuBusyWatts": 100}],
             "running": [
              {"job": "r", "task": 0, "node": "n4", "gpus": [0], "remainingHours": 1, "migratable": true,
               "priority": 1, "gpu": {"kind": "WHOLE", "count": 1}, "cpuMillis": 100, "memoryMiB": 100,
               "utilization": 0.25}]}
            """;
    private static final String JOBS = """
            {"now": "2026-11-22T00:00:00Z", "horizonHours": 3, "jobs": [
              {"id": "A", "priority": 1, "tasks": 1, "gpu": {"kind": "WHOLE", "count": 1}, "cpuMillis": 100,
               "memoryMiB": 100, "durationHours": 2, "utilization": 0.5},
              {"id": "B", "priority": 1, "tasks": 2, "gpu": {"kind": "SHARED", "milli": 500}, "cpuMillis": 100,
               "memoryMiB": 100, "durationHours": 1.5, "utilization": 1.0, "preemptible": true,
               "checkpointMinutes": 30, "restartMinutes": 5, "deadline": "2026-11-22T03:00:00Z"}]}
            """;
    private static final String SIGNALS = """
            {"zones": {"Z": {"carbon": [{"at": "2026-11-22T00:00:00Z", "gPerKWh": 200},
                                         {"at": "2026-11-22T01:00:00Z", "gPerKWh": 400}],
                             "price": [{"at": "2026-11-22T00:00:00Z", "usdPerMWh": 100},
                                        {"at": "2026-11-22T01:00:00Z", "usdPerMWh": 50}]}}}
            """;

    private final Problem problem = TestDocs.read(CLUSTER, JOBS, SIGNALS);

    private static Plan plan(List<Plan.Placement> placements, List<Plan.Move> moves) {
        return new Plan("", true, placements, List.of(), moves, null, List.of(), List.of(), List.of());
    }

    private static final List<Plan.Placement> PLACEMENTS = List.of(
            new Plan.Placement("A", 0, "n1", List.of(0), null, 0),
            new Plan.Placement("B", 0, "n2", List.of(0), null, 1),
            new Plan.Placement("B", 1, "n2", List.of(0), null, 1));

    @Test
    void totalsMatchTheHandComputation() {
        Plan.Totals t = Accounting.totals(problem, plan(PLACEMENTS, List.of()));
        // n1 on in slots 0-1 at 100 + 200 x 0.5 = 200 W; n2 in slots 1-2 at 50 + 100 x 1.0 x 0.5 x 2 = 150 W;
        // n3 always on at 40 W; n4 is unhealthy and its running task, not moved, is gone: off.
        // kWh per slot = W x 1.5 / 1000: n1 0.3, n2 0.225, n3 0.06.
        assertThat(t.energyKWh()).isCloseTo(0.6 + 0.45 + 0.18, within(1e-9));
        // slot 0: 0.36 kWh x 200 g; slot 1: 0.585 x 400; slot 2: 0.285 x 400.
        assertThat(t.co2eKg()).isCloseTo(0.072 + 0.234 + 0.114, within(1e-9));
        assertThat(t.energyCostUsd()).isCloseTo(0.036 + 0.02925 + 0.01425, within(1e-9));
        assertThat(t.nodeCostUsd()).isCloseTo(2 * 2.0 + 2 * 1.0 + 3 * 0.5, within(1e-9));
        // Both B tasks on one SPOT node: one reclaim restarts the gang once (v1.1), so once per slot:
        // 0.1/h x 2 slots x (30/2 + 5)/60 h x gang share (2 x 0.5). v1 counted it per task, twice this.
        assertThat(t.expectedPreemptionLossGpuHours()).isCloseTo(0.1 * 2 * (20.0 / 60) * 1.0, within(1e-9));
        assertThat(t.placedGpuShare()).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void aMovedRunningTaskCountsOnItsNewNodeButNotAsPlacedWork() {
        Plan.Totals t = Accounting.totals(problem, plan(PLACEMENTS,
                List.of(new Plan.Move("r", 0, "n4", "n1", List.of(1), null))));
        // r adds 200 x 0.25 = 50 W to n1 in slot 0 only: +0.075 kWh at 200 g/kWh and 100 USD/MWh.
        assertThat(t.energyKWh()).isCloseTo(1.23 + 0.075, within(1e-9));
        assertThat(t.co2eKg()).isCloseTo(0.42 + 0.075 * 0.2, within(1e-9));
        assertThat(t.energyCostUsd()).isCloseTo(0.0795 + 0.075 * 0.1, within(1e-9));
        assertThat(t.nodeCostUsd()).isCloseTo(7.5, within(1e-9));
        assertThat(t.placedGpuShare()).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void anEmptyPlanCostsOnlyTheAlwaysOnNodes() {
        Plan.Totals t = Accounting.totals(problem, plan(List.of(), List.of()));
        assertThat(t.energyKWh()).isCloseTo(0.18, within(1e-9));
        assertThat(t.nodeCostUsd()).isCloseTo(1.5, within(1e-9));
        assertThat(t.expectedPreemptionLossGpuHours()).isZero();
        assertThat(t.placedGpuShare()).isZero();
    }

    // ---- v1.1: past the horizon ----

    /** Horizon 30 h; carbon 100 + t g/kWh and price 10 + t USD/MWh in hour t; pue 1 so watts are kWh per 1000 h. */
    private static Problem longHorizon(String running, String jobs) {
        StringBuilder carbon = new StringBuilder();
        StringBuilder price = new StringBuilder();
        for (int t = 0; t < 30; t++) {
            String at = java.time.Instant.parse("2026-11-22T00:00:00Z").plusSeconds(3600L * t).toString();
            carbon.append(t == 0 ? "" : ",").append("{\"at\": \"").append(at).append("\", \"gPerKWh\": ")
                    .append(100 + t).append('}');
            price.append(t == 0 ? "" : ",").append("{\"at\": \"").append(at).append("\", \"usdPerMWh\": ")
                    .append(10 + t).append('}');
        }
        String cluster = """
                {"zones": [{"id": "Z", "pue": 1.0}],
                 "nodes": [
                  {"id": "g", "zone": "Z", "gpuModel": "T4", "gpuCount": 4, "cpuMillis": 8000, "memoryMiB": 8192,
                   "costPerHour": 2.0, "baseWatts": 1000, "gpuBusyWatts": 0},
                  {"id": "on", "zone": "Z", "gpuCount": 0, "cpuMillis": 8000, "memoryMiB": 8192, "alwaysOn": true,
                   "costPerHour": 1.0, "baseWatts": 500, "gpuBusyWatts": 0},
                  {"id": "s1", "zone": "Z", "gpuModel": "T4", "gpuCount": 4, "cpuMillis": 8000, "memoryMiB": 8192,
                   "capacityType": "SPOT", "interruptionPerHour": 0.1, "costPerHour": 1.0, "baseWatts": 0,
                   "gpuBusyWatts": 0},
                  {"id": "s2", "zone": "Z", "gpuModel": "T4", "gpuCount": 4, "cpuMillis": 8000, "memoryMiB": 8192,
                   "capacityType": "SPOT", "interruptionPerHour": 0.2, "costPerHour": 1.0, "baseWatts": 0,
                   "gpuBusyWatts": 0}],
                 "running": [%s]}
                """.formatted(running);
        return TestDocs.read(cluster, """
                {"now": "2026-11-22T00:00:00Z", "horizonHours": 30, "jobs": [%s]}
                """.formatted(jobs), "{\"zones\": {\"Z\": {\"carbon\": [" + carbon + "], \"price\": [" + price
                + "]}}}");
    }

    private static final String RUNNING_40H = """
            {"job": "r", "task": 0, "node": "g", "gpus": [0], "remainingHours": 39.5, "priority": 1,
             "gpu": {"kind": "WHOLE", "count": 1}, "cpuMillis": 100, "memoryMiB": 100}""";

    @Test
    void aTaskIsAccountedForEveryHourItRunsPastTheHorizonAtTheRepeatedLast24Hours() {
        Accounting.Report report = Accounting.report(longHorizon(RUNNING_40H, ""), plan(List.of(), List.of()));
        Plan.Totals t = report.totals();
        // g: 1 kWh in each of slots 0..39. Slots 30..39 repeat hours 6..15 (t - 24), so carbon
        // = sum(100..129) + sum(106..115) = 3435 + 1105 g; price = sum(10..39) + sum(16..25) = 735 + 205.
        // "on" is alwaysOn with no task: on inside the horizon only, 0.5 kWh in slots 0..29.
        double onCarbon = 0.5 * 3435;
        double onPrice = 0.5 * 735;
        assertThat(t.energyKWh()).isCloseTo(40 + 15, within(1e-9));
        assertThat(t.co2eKg()).isCloseTo((3435 + 1105 + onCarbon) / 1000.0, within(1e-9));
        assertThat(t.energyCostUsd()).isCloseTo((735 + 205 + onPrice) / 1000.0, within(1e-9));
        assertThat(t.nodeCostUsd()).isCloseTo(40 * 2.0 + 30 * 1.0, within(1e-9));
        Plan.Totals past = report.pastHorizon();
        assertThat(past.energyKWh()).isCloseTo(10, within(1e-9));
        assertThat(past.co2eKg()).isCloseTo(1.105, within(1e-9));
        assertThat(past.energyCostUsd()).isCloseTo(0.205, within(1e-9));
        assertThat(past.nodeCostUsd()).isCloseTo(20, within(1e-9));
    }

    @Test
    void aShortHorizonRepeatsItsLastHour() {
        // The three-slot problem: after slot 2 every hour takes slot 2's 400 g/kWh and 50 USD/MWh.
        Plan.Totals t = Accounting.totals(problem, plan(List.of(new Plan.Placement("A", 0, "n1", List.of(0), null, 2)),
                List.of()));
        // A on n1 in slots 2 and 3 (slot 3 past the horizon) at 200 W x 1.5 = 0.3 kWh; n3 alwaysOn 0.06 x 3 slots.
        assertThat(t.energyKWh()).isCloseTo(0.6 + 0.18, within(1e-9));
        assertThat(t.co2eKg()).isCloseTo(0.6 * 0.4 + 0.06 * (0.2 + 0.4 + 0.4), within(1e-9));
        assertThat(t.energyCostUsd()).isCloseTo(0.6 * 0.05 + 0.06 * (0.1 + 0.05 + 0.05), within(1e-9));
        assertThat(t.nodeCostUsd()).isCloseTo(2 * 2.0 + 3 * 0.5, within(1e-9));
    }

    @Test
    void anAlwaysOnNodeHostingWorkPastTheHorizonIsOnThenToo() {
        String running = """
                {"job": "c", "task": 0, "node": "on", "gpus": [], "remainingHours": 32, "priority": 1,
                 "gpu": {"kind": "NONE"}, "cpuMillis": 100, "memoryMiB": 100}""";
        Plan.Totals t = Accounting.totals(longHorizon(running, ""), plan(List.of(), List.of()));
        assertThat(t.energyKWh()).isCloseTo(0.5 * 32, within(1e-9));
        assertThat(t.nodeCostUsd()).isCloseTo(32 * 1.0, within(1e-9));
    }

    @Test
    void spotLossCountsEachGangNodeAndSlotOnce() {
        // A running gang of two tasks on s1, for 3 and 5 hours: the node holds the gang in slots 0..4 (5 slots);
        // a pending gang of three tasks, two on s1 and one on s2, from slot 1 for 2 hours.
        String running = """
                {"job": "rg", "task": 0, "node": "s1", "gpus": [0], "remainingHours": 3, "priority": 1,
                 "gpu": {"kind": "WHOLE", "count": 1}, "cpuMillis": 100, "memoryMiB": 100, "preemptible": true,
                 "checkpointMinutes": 60, "restartMinutes": 0},
                {"job": "rg", "task": 1, "node": "s1", "gpus": [1], "remainingHours": 4.5, "priority": 1,
                 "gpu": {"kind": "WHOLE", "count": 1}, "cpuMillis": 100, "memoryMiB": 100, "preemptible": true,
                 "checkpointMinutes": 60, "restartMinutes": 0}""";
        String jobs = """
                {"id": "pg", "priority": 1, "tasks": 3, "gpu": {"kind": "SHARED", "milli": 500}, "cpuMillis": 100,
                 "memoryMiB": 100, "durationHours": 2, "preemptible": true, "checkpointMinutes": 0,
                 "restartMinutes": 30, "deadline": "2026-11-23T00:00:00Z"}""";
        Problem p = longHorizon(running, jobs);
        Plan.Totals t = Accounting.totals(p, plan(List.of(
                new Plan.Placement("pg", 0, "s1", List.of(2), null, 1),
                new Plan.Placement("pg", 1, "s1", List.of(2), null, 1),
                new Plan.Placement("pg", 2, "s2", List.of(0), null, 1)), List.of()));
        // rg: 0.1/h x 5 slots x 0.5 h lost x gang share 2 = 0.5.
        // pg on s1: 0.1 x 2 x 0.5 h x gang share 1.5 = 0.15; on s2: 0.2 x 2 x 0.5 x 1.5 = 0.3.
        assertThat(t.expectedPreemptionLossGpuHours()).isCloseTo(0.5 + 0.15 + 0.3, within(1e-9));
    }
}
