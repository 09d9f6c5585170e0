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
        // Each B task on SPOT: 0.1/h x 2 slots x (30/2 + 5)/60 h x gang share (2 x 0.5).
        assertThat(t.expectedPreemptionLossGpuHours()).isCloseTo(2 * 0.1 * 2 * (20.0 / 60) * 1.0, within(1e-9));
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
}
