package io.gpuplacer.service.capacity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The replay counts what GPU totals do not: a fleet with GPUs enough for the demand, but not for its shapes. */
class PeakWeekReplayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant WEEK = Instant.parse("2027-01-04T00:00:00Z");

    /** Three 8-GPU nodes: 24 GPUs. */
    private static JsonNode cluster() throws Exception {
        return JSON.readTree("""
                {"zones": [{"id": "SE", "pue": 1.1}], "nodes": [
                  {"id": "n1", "zone": "SE", "gpuModel": "H100-80GB", "gpuCount": 8, "cpuMillis": 192000,
                   "memoryMiB": 2097152, "costPerHour": 1, "baseWatts": 1000, "gpuBusyWatts": 700},
                  {"id": "n2", "zone": "SE", "gpuModel": "H100-80GB", "gpuCount": 8, "cpuMillis": 192000,
                   "memoryMiB": 2097152, "costPerHour": 1, "baseWatts": 1000, "gpuBusyWatts": 700},
                  {"id": "n3", "zone": "SE", "gpuModel": "H100-80GB", "gpuCount": 8, "cpuMillis": 192000,
                   "memoryMiB": 2097152, "costPerHour": 1, "baseWatts": 1000, "gpuBusyWatts": 700}],
                 "running": []}""");
    }

    private static double[] flat(double gpus) {
        double[] d = new double[PeakWeekReplay.HOURS];
        Arrays.fill(d, gpus);
        return d;
    }

    @Test
    void oneGpuJobsFillEveryGpu() throws Exception {
        PeakWeekReplay.Result r = PeakWeekReplay.replay(cluster(), Map.of("H100-80GB", flat(24)), Map.of(), WEEK, null);
        assertThat(r.demandGpuHours()).isEqualTo(24.0 * 168);
        assertThat(r.unplacedGpuHours()).isZero();
        assertThat(r.jobsPlaced()).isEqualTo(24); // placed in the first hour, running all week
    }

    @Test
    void sixGpuJobsLeaveTwoGpusOfEachNodeIdleAndOneJobWaitingEveryHour() throws Exception {
        JsonNode six = JSON.readTree("{\"tasks\": 1, \"gpu\": {\"kind\": \"WHOLE\", \"count\": 6}, \"cpuMillis\": "
                + "8000, \"memoryMiB\": 65536, \"topology\": \"NODE\"}");
        PeakWeekReplay.Result r = PeakWeekReplay.replay(cluster(), Map.of("H100-80GB", flat(24)),
                Map.of("H100-80GB", List.of(six)), WEEK, null);
        // 24 GPUs asked as four 6-GPU jobs: one per node fits, the fourth waits every hour of the week.
        assertThat(r.unplacedGpuHours()).isEqualTo(6.0 * 168);
        assertThat(r.unplacedShare()).isEqualTo(0.25);
        assertThat(r.jobsPlaced()).isEqualTo(3);
    }

    @Test
    void whenDemandFallsTheNewestJobsEndAndNothingWaits() throws Exception {
        double[] demand = flat(24);
        Arrays.fill(demand, 84, 168, 12);
        PeakWeekReplay.Result r = PeakWeekReplay.replay(cluster(), Map.of("H100-80GB", demand), Map.of(), WEEK, null);
        assertThat(r.demandGpuHours()).isEqualTo(24.0 * 84 + 12.0 * 84);
        assertThat(r.unplacedGpuHours()).isZero();
        assertThat(r.jobsPlaced()).isEqualTo(24);
    }

    /** Gangs are placed whole (the oracle does not commit them: the next job sees them in a new view). */
    @Test
    void aGangTakesTwoNodesAndTheSecondGangWaitsForTwoMore() throws Exception {
        JsonNode gang = JSON.readTree("{\"tasks\": 2, \"gpu\": {\"kind\": \"WHOLE\", \"count\": 8}, "
                + "\"cpuMillis\": 8000, \"memoryMiB\": 65536}");
        PeakWeekReplay.Result r = PeakWeekReplay.replay(cluster(), Map.of("H100-80GB", flat(32)),
                Map.of("H100-80GB", List.of(gang)), WEEK, null);
        // Two gangs of 16 GPUs on three 8-GPU nodes: one runs on two nodes, the other never finds two free.
        assertThat(r.jobsPlaced()).isEqualTo(1);
        assertThat(r.unplacedGpuHours()).isEqualTo(16.0 * 168);
    }

    /** MIG geometry counts: two 3g.40gb instances per A100-80GB GPU, on a node whose GPUs serve MIG. */
    @Test
    void migWorkFitsTheInstancesTheGpusHold() throws Exception {
        JsonNode mig = JSON.readTree("""
                {"zones": [{"id": "SE", "pue": 1.1}], "nodes": [
                  {"id": "a1", "zone": "SE", "gpuModel": "A100-80GB", "gpuCount": 8, "migEnabled": true,
                   "cpuMillis": 192000, "memoryMiB": 2097152, "costPerHour": 1, "baseWatts": 800,
                   "gpuBusyWatts": 400}], "running": []}""");
        JsonNode instance = JSON.readTree("{\"tasks\": 1, \"gpu\": {\"kind\": \"MIG\", \"profile\": "
                + "\"3g.40gb\"}, \"cpuMillis\": 2000, \"memoryMiB\": 16384}");
        // Sixteen instances (16 x 3/7 of a GPU) fill the node's eight GPUs; a seventeenth waits every hour.
        PeakWeekReplay.Result fits = PeakWeekReplay.replay(mig, Map.of("A100-80GB", flat(16 * 3 / 7.0)),
                Map.of("A100-80GB", List.of(instance)), WEEK, null);
        assertThat(fits.unplacedGpuHours()).isZero();
        assertThat(fits.jobsPlaced()).isEqualTo(16);
        PeakWeekReplay.Result over = PeakWeekReplay.replay(mig, Map.of("A100-80GB", flat(17 * 3 / 7.0)),
                Map.of("A100-80GB", List.of(instance)), WEEK, null);
        assertThat(over.unplacedGpuHours()).isCloseTo(3 / 7.0 * 168, org.assertj.core.data.Offset.offset(0.01));
    }
}
