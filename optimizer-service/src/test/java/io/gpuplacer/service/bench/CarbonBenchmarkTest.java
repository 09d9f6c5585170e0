package io.gpuplacer.service.bench;

import io.gpuplacer.model.TestDocs;
import io.gpuplacer.model.accounting.Accounting;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.SignalSeries;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The two emission bounds of the carbon benchmark, on one node and one job with a window. */
class CarbonBenchmarkTest {

    private static final String CLUSTER = """
            {"zones": [{"id": "Z", "pue": 1.5}],
             "nodes": [{"id": "n1", "zone": "Z", "gpuModel": "T4", "gpuCount": 2, "cpuMillis": 8000,
                        "memoryMiB": 8192, "costPerHour": 1, "baseWatts": 100, "gpuBusyWatts": 200}]}
            """;
    private static final String JOBS = """
            {"now": "2026-11-22T00:00:00Z", "horizonHours": 6, "jobs": [
              {"id": "late-ok", "priority": 1, "tasks": 1, "gpu": {"kind": "WHOLE", "count": 2}, "cpuMillis": 100,
               "memoryMiB": 100, "durationHours": 2, "utilization": 0.5, "deadline": "2026-11-22T06:00:00Z"}]}
            """;
    private static final String SIGNALS = """
            {"zones": {"Z": {"carbon": [{"at": "2026-11-22T00:00:00Z", "gPerKWh": 400},
                                         {"at": "2026-11-22T03:00:00Z", "gPerKWh": 100},
                                         {"at": "2026-11-22T05:00:00Z", "gPerKWh": 300}]}}}
            """;

    private final Problem problem = TestDocs.read(CLUSTER, JOBS, SIGNALS);

    private static Plan startingAt(int slot) {
        return new Plan("", true, List.of(new Plan.Placement("late-ok", 0, "n1", List.of(0, 1), null, slot)),
                List.of(), List.of(), null, List.of(), List.of(), List.of());
    }

    @Test
    void theTimeShiftBoundMovesTheJobToItsCleanestWindow() {
        // 100 W base + 200 W x 0.5 x 2 GPUs = 300 W x 1.5 = 0.45 kWh a slot; cleanest window: slots 3-4 at 100 g.
        assertThat(CarbonBenchmark.timeShiftBound(problem, startingAt(0))).isCloseTo(0.9 * 100 / 1000.0,
                within(1e-9));
        // Already there, the bound is the plan's own emissions.
        Plan cleanest = startingAt(3);
        assertThat(CarbonBenchmark.timeShiftBound(problem, cleanest))
                .isCloseTo(Accounting.totals(problem, cleanest).co2eKg(), within(1e-9));
        assertThat(Accounting.totals(problem, startingAt(0)).co2eKg()).isCloseTo(0.9 * 400 / 1000.0, within(1e-9));
    }

    @Test
    void theAnyZoneBoundCountsBusyPowerAndAPerfectlyPackedShareOfTheBase() {
        // The job takes both GPUs: all of the base is its share; cleanest window again slots 3-4.
        SignalSeries z = problem.zone("Z").signals();
        assertThat(z.carbonSum(3, 5)).isEqualTo(200);
        assertThat(CarbonBenchmark.lowerBound(problem, startingAt(0))).isCloseTo(0.45 * 200 / 1000.0, within(1e-9));
    }
}
