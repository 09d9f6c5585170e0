package io.gpuplacer.connectors.telemetry.prometheus;

import io.gpuplacer.connectors.signals.HttpJson;
import io.gpuplacer.connectors.signals.ReplayServer;
import io.gpuplacer.connectors.signals.SourceException;
import io.gpuplacer.connectors.telemetry.GpuReading;
import io.gpuplacer.connectors.telemetry.TelemetrySnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Against a real Prometheus backfilled with two hours of DCGM exporter series, a minute apart: two H100 nodes and a
 * MIG A100, with busy, idle and briefly busy GPUs, an energy counter that resets, an XID 79, an XID 13 (not on the
 * list) and a double-bit ECC error.
 */
class PrometheusTelemetryTest {

    private static final HttpJson FAST = new HttpJson(Duration.ofSeconds(5), 2, Duration.ofMillis(50));
    private static final Duration WINDOW = Duration.ofMinutes(10);
    private static final Duration IDLE = Duration.ofMinutes(30);

    private static String labels(String host, int gpu, String extra) {
        return "gpu=\"" + gpu + "\",UUID=\"GPU-" + host + "-" + gpu + "\",device=\"nvidia" + gpu
                + "\",modelName=\"NVIDIA H100 80GB HBM3\",Hostname=\"" + host + "\"" + extra;
    }

    /** Minute 0 is two hours ago; the last minute is `end`. */
    private static DcgmSeries cluster(long start) {
        DcgmSeries s = new DcgmSeries(start, 120);
        for (String host : new String[]{"h100-001", "h100-002"}) {
            for (int g = 0; g < 8; g++) {
                boolean busy = host.equals("h100-001") ? g < 4 : g < 2;
                String pod = busy && host.equals("h100-001") ? ",pod=\"train-42-0\",namespace=\"nlp\"" : ",pod=\"\",namespace=\"\"";
                int gpu = g;
                s.series(PrometheusTelemetry.ENGINE_ACTIVE, labels(host, g, pod), m -> busy ? 0.9
                        : gpu == 7 && m == 100 ? 0.5 : 0.02); // gpu 7: busy once, 20 minutes before the end
            }
        }
        s.series(PrometheusTelemetry.ENGINE_ACTIVE, "gpu=\"0\",UUID=\"GPU-mig\",GPU_I_PROFILE=\"3g.40gb\","
                + "GPU_I_ID=\"1\",Hostname=\"a100-mig-1\",pod=\"infer-1\",namespace=\"serving\"", m -> 0.4);
        s.series(PrometheusTelemetry.ENGINE_ACTIVE, "gpu=\"0\",UUID=\"GPU-mig\",GPU_I_PROFILE=\"1g.10gb\","
                + "GPU_I_ID=\"2\",Hostname=\"a100-mig-1\"", m -> 0.0);
        for (String host : new String[]{"h100-001", "h100-002"}) {
            for (int g = 0; g < 8; g++) {
                boolean busy = host.equals("h100-001") ? g < 4 : g < 2;
                s.series("DCGM_FI_DEV_POWER_USAGE", labels(host, g, ""), m -> busy ? 600 : 80);
            }
        }
        s.series("DCGM_FI_DEV_POWER_USAGE", "gpu=\"0\",UUID=\"GPU-mig\",Hostname=\"a100-mig-1\"", m -> 210);
        for (String host : new String[]{"h100-001", "h100-002"}) {
            for (int g = 0; g < 8; g++) {
                boolean busy = host.equals("h100-001") ? g < 4 : g < 2;
                double watts = busy ? 600 : 80;
                boolean resets = host.equals("h100-001") && g == 0;
                // mJ since the driver loaded; gpu 0 of h100-001 restarts from 0 at minute 114 (a driver reload)
                s.series("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", labels(host, g, ""), m -> resets && m >= 114
                        ? watts * 60 * (m - 113) * 1000 : watts * 60 * (m + 1000) * 1000);
            }
        }
        for (int g = 0; g < 8; g++) {
            int gpu = g;
            s.series("DCGM_FI_DEV_XID_ERRORS", labels("h100-002", g, ""), m -> gpu == 3 && m >= 115 ? 79
                    : gpu == 4 && m >= 112 ? 13 : 0);
        }
        for (int g = 0; g < 8; g++) {
            int gpu = g;
            s.series("DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", labels("h100-002", g, ""), m -> gpu == 5 && m >= 100 ? 1 : 0);
        }
        return s;
    }

    private static GpuReading gpu(TelemetrySnapshot snap, String host, int gpu, Integer mig) {
        return snap.gpus().stream().filter(r -> r.host().equals(host) && r.gpu() == gpu
                        && java.util.Objects.equals(r.migInstance(), mig)).findFirst()
                .orElseThrow(() -> new AssertionError("no reading for " + host + "/" + gpu + "/" + mig));
    }

    @Test
    void everyFigureIsReadPerGpuAndPerMigInstance(@TempDir Path dir) throws Exception {
        long start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(3, ChronoUnit.HOURS).getEpochSecond();
        DcgmSeries series = cluster(start);
        try (PrometheusHarness prometheus = PrometheusHarness.start(series.text(), dir)) {
            Instant at = Instant.ofEpochSecond(series.end());
            TelemetrySnapshot snap = new PrometheusTelemetry(FAST, prometheus.base(), Map.of(), WINDOW, IDLE,
                    Set.of(48, 79, 94, 95)).read(at);
            assertThat(snap.utilizationMetric()).isEqualTo(PrometheusTelemetry.ENGINE_ACTIVE);
            assertThat(snap.gpus()).hasSize(19); // 16 H100 GPUs, the MIG GPU and its two instances
            GpuReading busy = gpu(snap, "h100-001", 0, null);
            assertThat(busy.utilization()).isCloseTo(0.9, within(1e-9));
            assertThat(busy.powerWatts()).isCloseTo(600, within(1e-9));
            assertThat(busy.pod()).isEqualTo("train-42-0");
            assertThat(busy.namespace()).isEqualTo("nlp");
            assertThat(busy.uuid()).isEqualTo("GPU-h100-001-0");
            // 600 W for 10 minutes is 360 kJ, across the counter's reset as well as without one.
            assertThat(busy.energyJoules()).isCloseTo(360_000, within(3_600.0));
            assertThat(gpu(snap, "h100-001", 1, null).energyJoules()).isCloseTo(360_000, within(3_600.0));
            assertThat(gpu(snap, "h100-001", 5, null).energyJoules()).isCloseTo(48_000, within(480.0));
            GpuReading idle = gpu(snap, "h100-001", 5, null);
            assertThat(idle.utilization()).isCloseTo(0.02, within(1e-9));
            assertThat(idle.peakUtilization()).isCloseTo(0.02, within(1e-9));
            assertThat(idle.pod()).isNull();
            assertThat(gpu(snap, "h100-001", 7, null).peakUtilization()).isCloseTo(0.5, within(1e-9));
            assertThat(gpu(snap, "h100-002", 3, null).flaggedXid()).isEqualTo(79);
            assertThat(gpu(snap, "h100-002", 4, null).flaggedXid()).isNull(); // XID 13 is not on the list
            assertThat(gpu(snap, "h100-002", 5, null).eccDoubleBitErrors()).isEqualTo(1.0);
            assertThat(gpu(snap, "h100-002", 6, null).eccDoubleBitErrors()).isZero();
            GpuReading mig = gpu(snap, "a100-mig-1", 0, 1);
            assertThat(mig.utilization()).isCloseTo(0.4, within(1e-9));
            assertThat(mig.pod()).isEqualTo("infer-1");
            assertThat(gpu(snap, "a100-mig-1", 0, null).powerWatts()).isCloseTo(210, within(1e-9));
            // An hour later nothing is left in the window: no figures rather than old ones.
            TelemetrySnapshot later = new PrometheusTelemetry(FAST, prometheus.base(), Map.of(), WINDOW, IDLE,
                    Set.of(79)).read(at.plus(2, ChronoUnit.HOURS));
            assertThat(later.gpus()).isEmpty();
        }
    }

    @Test
    void olderExportersPercentUtilisationAndLowerCaseHostnameAreRead(@TempDir Path dir) throws Exception {
        long start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(2, ChronoUnit.HOURS).getEpochSecond();
        DcgmSeries s = new DcgmSeries(start, 60);
        s.series(PrometheusTelemetry.GPU_UTIL, "gpu=\"0\",UUID=\"GPU-l4\",hostname=\"l4-001\"", m -> 35);
        s.series(PrometheusTelemetry.GPU_UTIL, "gpu=\"1\",UUID=\"GPU-l4b\",hostname=\"l4-001\"", m -> 100);
        try (PrometheusHarness prometheus = PrometheusHarness.start(s.text(), dir)) {
            TelemetrySnapshot snap = new PrometheusTelemetry(FAST, prometheus.base(), Map.of(), WINDOW, IDLE,
                    Set.of(79)).read(Instant.ofEpochSecond(s.end()));
            assertThat(snap.utilizationMetric()).isEqualTo(PrometheusTelemetry.GPU_UTIL);
            assertThat(gpu(snap, "l4-001", 0, null).utilization()).isCloseTo(0.35, within(1e-9));
            assertThat(gpu(snap, "l4-001", 1, null).utilization()).isCloseTo(1.0, within(1e-9));
            assertThat(gpu(snap, "l4-001", 0, null).powerWatts()).isNull();
        }
    }

    @Test
    void anErrorAnswerOrASeriesWithoutItsLabelsIsMalformed() throws Exception {
        try (ReplayServer server = new ReplayServer()) {
            server.on("/api/v1/query", ReplayServer.Answer.ok("{\"status\": \"error\", \"errorType\": "
                    + "\"bad_data\", \"error\": \"parse error\"}"));
            assertThatThrownBy(() -> new PrometheusTelemetry(FAST, server.base(), Map.of("Authorization",
                    "Bearer t"), WINDOW, IDLE, Set.of()).read(Instant.now()))
                    .isInstanceOfSatisfying(SourceException.class, e -> {
                        assertThat(e.kind()).isEqualTo(SourceException.Kind.MALFORMED);
                        assertThat(e.getMessage()).contains("bad_data", "parse error");
                    });
            assertThat(server.seen.get(0).headers().get("Authorization")).containsExactly("Bearer t");
            server.on("/api/v1/query", ReplayServer.Answer.ok("{\"status\": \"success\", \"data\": {\"resultType\":"
                    + " \"vector\", \"result\": [{\"metric\": {\"gpu\": \"0\"}, \"value\": [1, \"0.5\"]}]}}"));
            assertThatThrownBy(() -> new PrometheusTelemetry(FAST, server.base(), Map.of(), WINDOW, IDLE, Set.of())
                    .read(Instant.now())).isInstanceOfSatisfying(SourceException.class, e ->
                    assertThat(e.getMessage()).contains("without Hostname/hostname"));
        }
    }

    @Test
    void aPrometheusThatIsNotThereIsUnavailable() {
        assertThatThrownBy(() -> new PrometheusTelemetry(new HttpJson(Duration.ofMillis(300), 1, Duration.ofMillis(1)),
                URI.create("http://127.0.0.1:9"), Map.of(), WINDOW, IDLE, Set.of()).read(Instant.now()))
                .isInstanceOfSatisfying(SourceException.class, e ->
                        assertThat(e.kind()).isEqualTo(SourceException.Kind.UNAVAILABLE));
    }
}
