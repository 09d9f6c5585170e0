package io.gpuplacer.service.kueue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpuplacer.constraints.oracle.SearchBudget;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.service.state.OracleView;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The carbon-window decision on one zone whose grid is dirty now (400 g/kWh) and clean from hour 3 (100 g/kWh): a
 * Workload that may wait is held with the hour and the saving; one that must start now, or whose saving is under
 * the threshold, is admitted now on its place; one that no node can hold is rejected; one that does not read is
 * admitted (fail open).
 */
class CarbonWindowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOW = "2026-12-01T00:00:00Z";

    private static OracleView view() throws Exception {
        JsonNode cluster = JSON.readTree("""
                {"zones": [{"id": "SE", "pue": 1.1}],
                 "nodes": [{"id": "h1", "zone": "SE", "gpuModel": "H100-80GB", "gpuCount": 8, "cpuMillis": 64000,
                   "memoryMiB": 524288, "costPerHour": 0, "baseWatts": 800, "gpuBusyWatts": 600, "alwaysOn": true}],
                 "running": []}""");
        StringBuilder carbon = new StringBuilder();
        StringBuilder price = new StringBuilder();
        for (int h = 0; h < 24; h++) {
            String at = java.time.Instant.parse(NOW).plusSeconds(3600L * h).toString();
            carbon.append(h == 0 ? "" : ",").append("{\"at\": \"").append(at).append("\", \"gPerKWh\": ")
                    .append(h < 3 ? 400 : 100).append("}");
            price.append(h == 0 ? "" : ",").append("{\"at\": \"").append(at).append("\", \"usdPerMWh\": ")
                    .append(h < 3 ? 80 : 60).append("}");
        }
        JsonNode signals = JSON.readTree("{\"zones\": {\"SE\": {\"carbon\": [" + carbon + "], \"price\": ["
                + price + "]}}}");
        JsonNode jobs = JSON.readTree("{\"now\": \"" + NOW + "\", \"horizonHours\": 24, \"jobs\": []}");
        return OracleView.of(new ProblemReader().read(cluster, jobs, signals));
    }

    private static JsonNode job(int gpus, String deadline) throws Exception {
        return JSON.readTree("{\"id\": \"team/w\", \"team\": \"t\", \"priority\": 10, \"tasks\": 1, "
                + "\"gpu\": {\"kind\": \"WHOLE\", \"count\": " + gpus + "}, \"cpuMillis\": 1000, "
                + "\"memoryMiB\": 1024, \"durationHours\": 2" + (deadline == null ? "" : ", \"deadline\": \""
                + deadline + "\"") + "}");
    }

    @Test
    void workThatMayWaitIsHeldUntilTheCleanHourWithTheSaving() throws Exception {
        CarbonWindow.Decision d = CarbonWindow.decide(view(), job(4, "2026-12-01T12:00:00Z"), 0.1,
                SearchBudget.UNLIMITED);
        assertThat(d.state()).isEqualTo(CarbonWindow.State.PENDING);
        assertThat(d.startSlot()).isEqualTo(3);
        // 4 GPUs x 600 W busy x PUE 1.1 x 2 h = 5.28 kWh: at 100 g/kWh and 60 USD/MWh from hour 3, at 400 and 80 now.
        assertThat(d.message()).isEqualTo("starts 2026-12-01 03:00Z in SE: -75% CO2e, -25% energy cost (0.53 kg "
                + "CO2e, 0.32 USD against 2.11 kg CO2e, 0.42 USD now in SE)");
        assertThat(d.planned().co2eKg()).isCloseTo(0.528, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(d.now().co2eKg()).isCloseTo(2.112, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(d.now().energyCostUsd()).isCloseTo(0.4224, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(d.nodes()).containsExactly("h1");
    }

    @Test
    void workThatMustStartNowOrWouldSaveTooLittleIsAdmittedNowOnItsPlace() throws Exception {
        CarbonWindow.Decision now = CarbonWindow.decide(view(), job(4, null), 0.1, SearchBudget.UNLIMITED);
        assertThat(now.state()).isEqualTo(CarbonWindow.State.READY);
        assertThat(now.message()).isEqualTo("admitted now on h1: its best place starts now (2.11 kg CO2e, "
                + "0.42 USD)");
        assertThat(now.nodes()).containsExactly("h1");
        CarbonWindow.Decision small = CarbonWindow.decide(view(), job(4, "2026-12-01T12:00:00Z"), 0.8,
                SearchBudget.UNLIMITED);
        assertThat(small.state()).isEqualTo(CarbonWindow.State.READY);
        assertThat(small.message()).isEqualTo("admitted now on h1: waiting saves 75% CO2e, less than the "
                + "threshold 80% (2.11 kg CO2e, 0.42 USD)");
    }

    @Test
    void workNoNodeCanHoldIsRejectedAndWorkThatDoesNotReadIsAdmitted() throws Exception {
        CarbonWindow.Decision never = CarbonWindow.decide(view(), job(16, null), 0.1, SearchBudget.UNLIMITED);
        assertThat(never.state()).isEqualTo(CarbonWindow.State.REJECTED);
        assertThat(never.message()).startsWith("no node can ever hold it: ");
        JsonNode bad = job(4, null);
        ((com.fasterxml.jackson.databind.node.ObjectNode) bad).put("durationHours", -1);
        CarbonWindow.Decision open = CarbonWindow.decide(view(), bad, 0.1, SearchBudget.UNLIMITED);
        assertThat(open.state()).isEqualTo(CarbonWindow.State.READY);
        assertThat(open.message()).startsWith("admitted now (fail open): its job does not read: job.durationHours");
    }
}
