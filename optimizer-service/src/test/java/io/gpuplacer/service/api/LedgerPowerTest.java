package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.connectors.telemetry.prometheus.DcgmSeries;
import io.gpuplacer.connectors.telemetry.prometheus.PrometheusHarness;
import io.gpuplacer.service.telemetry.TelemetryRefresh;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Measured power in the ledger, through a real Prometheus: h100-001 of the bundled cluster reports 300 W on each
 * GPU (utilisation 0.3 on train-7's four), the H100's idle draw is configured at 70 W; l4-001 reports utilisation
 * only. train-7's busy watts are then its GPUs' draw less their idle draw, not the model's, and the rows say so.
 */
class LedgerPowerTest {

    private static TestDatabase.Credentials db;
    private static TestService service;
    private static PrometheusHarness prometheus;

    private static String labels(String host, int gpu) {
        return "gpu=\"" + gpu + "\",UUID=\"GPU-" + host + "-" + gpu + "\",Hostname=\"" + host + "\"";
    }

    @BeforeAll
    static void start() throws Exception {
        long start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(2, ChronoUnit.HOURS).getEpochSecond();
        DcgmSeries s = new DcgmSeries(start, 119);
        for (int g = 0; g < 8; g++) {
            int gpu = g;
            s.series("DCGM_FI_PROF_GR_ENGINE_ACTIVE", labels("h100-001", g), m -> gpu < 4 ? 0.3 : 0);
            s.series("DCGM_FI_DEV_POWER_USAGE", labels("h100-001", g), m -> 300);
        }
        s.series("DCGM_FI_PROF_GR_ENGINE_ACTIVE", labels("l4-001", 0), m -> 0.2);
        prometheus = PrometheusHarness.start(s.text(), Files.createTempDirectory("gpuplacer-prometheus"));
        db = TestDatabase.fresh();
        service = new TestService(db, Map.of("gpuplacer.telemetry.prometheus.url", prometheus.base().toString(),
                "gpuplacer.telemetry.first-read", "1h",
                "gpuplacer.ledger.gpu-idle-watts[0].gpu-model", "H100-80GB",
                "gpuplacer.ledger.gpu-idle-watts[0].watts", "70"));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        TestDatabase.drop(db);
        prometheus.close();
    }

    @Test
    void aTasksMeasuredDrawLessItsGpusIdleDrawIsItsBusyWattsAndTheRowSaysSo() throws Exception {
        ObjectNode cluster = (ObjectNode) TestService.JSON.readTree(Path.of("..", "examples", "cluster.json").toFile());
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(10, ChronoUnit.MINUTES);
        Instant t1 = t0.plus(5, ChronoUnit.MINUTES);
        assertThat(service.put("/v1/cluster", cluster.put("observedAt", t0.toString()).toString()).status()).isEqualTo(200);
        service.context().getBean(TelemetryRefresh.class).refresh();
        assertThat(service.get("/v1/telemetry").json().get("inForce").asBoolean()).isTrue();
        assertThat(service.put("/v1/cluster", cluster.put("observedAt", t1.toString()).toString()).status()).isEqualTo(200);

        JsonNode report = service.get("/v1/reports/emissions?from=" + t0.truncatedTo(ChronoUnit.HOURS) + "&to="
                + t1.plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS) + "&groupBy=job").json();
        double hours = Duration.between(t0, t1).toMillis() / 3_600_000.0;
        JsonNode train = row(report, "train-7");
        // train-7 is alone on h100-001 (base 1800 W, PUE 1.2): busy 4 x 300 - 4 x 70 = 920 W, measured; the model
        // would have said 630 x 0.3 x 4 = 756 W.
        assertThat(train.get("energyKWh").asDouble()).isCloseTo((920 + 1800) * 1.2 / 1000 * hours, within(1e-9));
        assertThat(train.get("powerMeasuredShare").asDouble()).isEqualTo(1.0);
        assertThat(train.get("measuredShare").asDouble()).isEqualTo(1.0);
        // serve-chat: its utilisation measured, its power modelled (no power series; the L4 has no idle figure).
        JsonNode chat = row(report, "serve-chat");
        assertThat(chat.get("measuredShare").asDouble()).isEqualTo(1.0);
        assertThat(chat.get("powerMeasuredShare").asDouble()).isEqualTo(0.0);
        assertThat(report.at("/method/powerMeasuredShare").asText()).contains("measured draw", "idle watts");
        String csv = service.get("/v1/reports/emissions?from=" + t0.truncatedTo(ChronoUnit.HOURS) + "&to="
                + t1.plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS) + "&groupBy=job&format=csv").text();
        assertThat(csv.lines().findFirst().orElseThrow()).endsWith(",measured_share,power_measured_share");
    }

    private static JsonNode row(JsonNode report, String job) {
        for (JsonNode r : report.get("rows")) {
            if (r.get("job").asText().equals(job)) {
                return r;
            }
        }
        throw new AssertionError("no row " + job + " in " + report.get("rows"));
    }
}
