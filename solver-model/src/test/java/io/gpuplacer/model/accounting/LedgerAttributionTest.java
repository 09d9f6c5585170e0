package io.gpuplacer.model.accounting;

import io.gpuplacer.model.TestDocs;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.RunningTask;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Section 8's attribution on cases worked out by hand (the numbers below were computed apart, not by this code). */
class LedgerAttributionTest {

    private static final String CLUSTER = """
            {"zones": [{"id": "DE", "pue": 1.5}, {"id": "FR", "pue": 1.2}],
             "nodes": [
              {"id": "g1", "zone": "DE", "gpuModel": "H100-80GB", "gpuCount": 4, "cpuMillis": 64000,
               "memoryMiB": 524288, "costPerHour": 10.0, "baseWatts": 400, "gpuBusyWatts": 300},
              {"id": "a1", "zone": "FR", "gpuModel": "A100-80GB", "gpuCount": 2, "migEnabled": true,
               "cpuMillis": 32000, "memoryMiB": 262144, "costPerHour": 4.0, "baseWatts": 500, "gpuBusyWatts": 350},
              {"id": "t1", "zone": "FR", "gpuModel": "T4", "gpuCount": 2, "cpuMillis": 16000, "memoryMiB": 65536,
               "costPerHour": 0.5, "baseWatts": 200, "gpuBusyWatts": 50, "alwaysOn": true},
              {"id": "off", "zone": "FR", "gpuModel": "T4", "gpuCount": 2, "cpuMillis": 16000, "memoryMiB": 65536,
               "costPerHour": 0.5, "baseWatts": 200, "gpuBusyWatts": 50}
             ],
             "running": [
              {"job": "whole", "task": 0, "node": "g1", "gpus": [0, 1], "remainingHours": 3, "team": "nlp",
               "priority": 10, "gpu": {"kind": "WHOLE", "count": 2}, "cpuMillis": 8000, "memoryMiB": 8192,
               "utilization": 0.5},
              {"job": "shared", "task": 0, "node": "g1", "gpus": [2], "remainingHours": 3, "team": "web",
               "priority": 10, "gpu": {"kind": "SHARED", "milli": 500}, "cpuMillis": 2000, "memoryMiB": 4096,
               "utilization": 0.8},
              {"job": "cpu", "task": 0, "node": "g1", "remainingHours": 3, "team": "etl", "priority": 10,
               "gpu": {"kind": "NONE"}, "cpuMillis": 16000, "memoryMiB": 4096, "utilization": 1.0},
              {"job": "mig", "task": 0, "node": "a1", "gpus": [0], "migStart": 0, "remainingHours": 3, "team": "inf",
               "priority": 10, "gpu": {"kind": "MIG", "profile": "3g.40gb"}, "cpuMillis": 2000, "memoryMiB": 4096,
               "utilization": 0.6}
             ]}
            """;
    private static final String JOBS = "{\"now\": \"2026-11-22T00:00:00Z\", \"horizonHours\": 2, \"jobs\": []}";

    private static final Problem P = TestDocs.read(CLUSTER, JOBS, null);

    private static List<RunningTask> on(String node) {
        return P.running().stream().filter(r -> r.node().id().equals(node)).toList();
    }

    @Test
    void busyWattsAreEachTasksAndBaseWattsAndHourlyPriceSplitByGpuShareOrCpuWeight() {
        // g1: weights 2 (whole), 0.5 (shared), 16000/64000 x 4 = 1 (cpu); busy 300, 120, 0 W; half an hour,
        // PUE 1.5, 250 g/kWh, 80 USD/MWh.
        List<LedgerAttribution.Row> rows = LedgerAttribution.rows(P.node("g1"), on("g1"), null, 0.5, 250, 80);
        assertThat(rows).extracting(r -> r.task().job().id()).containsExactly("whole", "shared", "cpu");
        assertThat(rows.get(0).kWh()).isCloseTo(0.39642857142857146, within(1e-12));
        assertThat(rows.get(1).kWh()).isCloseTo(0.13285714285714287, within(1e-12));
        assertThat(rows.get(2).kWh()).isCloseTo(0.08571428571428573, within(1e-12));
        assertThat(rows.get(0).co2eKg()).isCloseTo(0.09910714285714287, within(1e-12));
        assertThat(rows.get(0).costUsd()).isCloseTo(2.888857142857143, within(1e-12));
        assertThat(rows.get(1).costUsd()).isCloseTo(0.7249142857142857, within(1e-12));
        assertThat(rows.get(2).costUsd()).isCloseTo(1.4354285714285715, within(1e-12));
        assertThat(rows.get(1).gpuShare()).isEqualTo(0.5);
        // The node's total: (400 + 420) W x 1.5 x 0.5 h = 0.615 kWh; its hourly price 10 x 0.5 all attributed.
        assertThat(rows.stream().mapToDouble(LedgerAttribution.Row::kWh).sum()).isCloseTo(0.615, within(1e-12));
        assertThat(rows.stream().mapToDouble(LedgerAttribution.Row::costUsd).sum())
                .isCloseTo(0.615 * 80 / 1000 + 5, within(1e-12));
    }

    @Test
    void aMigTaskWeighsItsComputeSlicesAnIdleAlwaysOnNodeIsUnallocatedAndAnIdleNodeIsOff() {
        List<LedgerAttribution.Row> mig = LedgerAttribution.rows(P.node("a1"), on("a1"), null, 1, 100, 50);
        assertThat(mig).singleElement().satisfies(r -> {
            assertThat(r.gpuShare()).isCloseTo(3 / 7.0, within(1e-12));
            assertThat(r.kWh()).isCloseTo(0.708, within(1e-12)); // (350 x 0.6 x 3/7 + 500) x 1.2 / 1000
        });
        List<LedgerAttribution.Row> idle = LedgerAttribution.rows(P.node("t1"), List.of(), null, 1, 100, 50);
        assertThat(idle).singleElement().satisfies(r -> {
            assertThat(r.task()).isNull();
            assertThat(r.kWh()).isCloseTo(0.24, within(1e-12));
            assertThat(r.costUsd()).isCloseTo(0.24 * 50 / 1000 + 0.5, within(1e-12));
        });
        assertThat(LedgerAttribution.rows(P.node("off"), List.of(), null, 1, 100, 50)).isEmpty();
    }

    @Test
    void aMeasuredUtilisationReplacesTheDeclaredOneAndSaysSo() {
        List<LedgerAttribution.Row> rows = LedgerAttribution.rows(P.node("g1"), on("g1"),
                new double[]{0.1, Double.NaN, Double.NaN}, 1, 0, 0);
        assertThat(rows.get(0).measured()).isTrue();
        assertThat(rows.get(0).utilization()).isEqualTo(0.1);
        assertThat(rows.get(1).measured()).isFalse();
        // whole: busy 300 x 0.1 x 2 = 60 W plus 400 x 2/3.5 W, x 1.5
        assertThat(rows.get(0).kWh()).isCloseTo((60 + 228.57142857142858) * 1.5 / 1000, within(1e-12));
    }

    @Test
    void aMeasuredBusyDrawReplacesTheModelledOneAndTheBaseIsSplitAsBefore() {
        // whole measured at 250 W busy (its GPUs' draw less their idle); shared keeps the model (300 x 0.8 x 0.5).
        List<LedgerAttribution.Row> rows = LedgerAttribution.rows(P.node("g1"), on("g1"),
                new double[]{0.7, Double.NaN, Double.NaN}, new double[]{250, Double.NaN, Double.NaN}, 1, 100, 0);
        assertThat(rows.get(0).powerMeasured()).isTrue();
        assertThat(rows.get(0).measured()).isTrue();
        assertThat(rows.get(1).powerMeasured()).isFalse();
        assertThat(rows.get(0).kWh()).isCloseTo((250 + 400 * 2 / 3.5) * 1.5 / 1000, within(1e-12));
        assertThat(rows.get(1).kWh()).isCloseTo((120 + 400 * 0.5 / 3.5) * 1.5 / 1000, within(1e-12));
        // The utilisation column still says what was measured; the busy watts no longer come from it.
        assertThat(rows.get(0).utilization()).isEqualTo(0.7);
        assertThat(rows.get(0).co2eKg()).isCloseTo(rows.get(0).kWh() * 100 / 1000, within(1e-12));
    }
}
