package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.connectors.telemetry.prometheus.DcgmSeries;
import io.gpuplacer.connectors.telemetry.prometheus.PrometheusHarness;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.service.state.ClusterState;
import io.gpuplacer.service.telemetry.TelemetryRefresh;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The service reading a real Prometheus backfilled with DCGM series for the bundled example's nodes, up to a minute
 * ago: train-7 (declared 0.9) measured at 0.3 on h100-001, finetune-3 idle on h100-008, serve-chat sharing an L4,
 * and an XID 79 on another GPU of h100-001.
 */
class TelemetryTest {

    private static TestDatabase.Credentials db;
    private static TestService service;
    private static PrometheusHarness prometheus;

    private static String labels(String host, int gpu, String extra) {
        return "gpu=\"" + gpu + "\",UUID=\"GPU-" + host + "-" + gpu + "\",Hostname=\"" + host + "\"" + extra;
    }

    @BeforeAll
    static void start() throws Exception {
        long start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(2, ChronoUnit.HOURS).getEpochSecond();
        DcgmSeries s = new DcgmSeries(start, 119);
        String util = "DCGM_FI_PROF_GR_ENGINE_ACTIVE";
        for (int g = 0; g < 8; g++) {
            int gpu = g;
            s.series(util, labels("h100-001", g, ",pod=\"train-7-0\",namespace=\"nlp\""), m -> gpu < 4 ? 0.3 : 0);
        }
        for (int g = 0; g < 8; g++) {
            int gpu = g;
            s.series(util, labels("h100-008", g, ""), m -> gpu < 2 ? 0.01 : gpu == 4 ? 0.5 : 0);
        }
        s.series(util, labels("l4-001", 0, ""), m -> 0.2); // serve-chat's 500 milli: 0.4 of its half
        s.series(util, labels("not-a-node", 0, ""), m -> 0.7);
        for (int g = 0; g < 8; g++) {
            s.series("DCGM_FI_DEV_POWER_USAGE", labels("h100-001", g, ""), m -> 300);
        }
        for (int g = 0; g < 8; g++) {
            int gpu = g;
            s.series("DCGM_FI_DEV_XID_ERRORS", labels("h100-001", g, ""), m -> gpu == 6 && m > 112 ? 79 : 0);
        }
        Path dir = Files.createTempDirectory("gpuplacer-prometheus");
        prometheus = PrometheusHarness.start(s.text(), dir);
        db = TestDatabase.fresh();
        service = new TestService(db, Map.of("gpuplacer.telemetry.prometheus.url", prometheus.base().toString(),
                "gpuplacer.telemetry.first-read", "1h")); // the test reads when it is ready
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        TestDatabase.drop(db);
        prometheus.close();
    }

    @Test
    void measuredUtilisationAndUnhealthyGpusReachTheModelAndTheListsSayWhatIsIdle() throws Exception {
        JsonNode before = service.get("/v1/telemetry").json();
        assertThat(before.get("configured").asBoolean()).isTrue();
        assertThat(before.get("inForce").asBoolean()).isFalse();
        ClusterState state = service.context().getBean(ClusterState.class);
        assertThat(state.view().base().node("h100-001").healthy()).isTrue();

        service.context().getBean(TelemetryRefresh.class).refresh();
        JsonNode t = service.get("/v1/telemetry").json();
        assertThat(t.get("inForce").asBoolean()).as(t.toString()).isTrue();
        assertThat(t.get("lastError").isNull()).isTrue();
        assertThat(t.get("utilizationMetric").asText()).isEqualTo("DCGM_FI_PROF_GR_ENGINE_ACTIVE");
        assertThat(t.get("unknownHosts")).extracting(JsonNode::asText).containsExactly("not-a-node");
        assertThat(t.get("unhealthy")).singleElement().satisfies(u -> {
            assertThat(u.get("node").asText()).isEqualTo("h100-001");
            assertThat(u.get("gpu").asInt()).isEqualTo(6);
            assertThat(u.get("reason").asText()).isEqualTo("XID 79 (GPU has fallen off the bus)");
        });
        assertThat(t.get("idleByTeam").get("vision")).singleElement().satisfies(i -> {
            assertThat(i.get("job").asText()).isEqualTo("finetune-3");
            assertThat(i.get("node").asText()).isEqualTo("h100-008");
            assertThat(i.get("peakUtilization").asDouble()).isCloseTo(0.01, within(1e-9));
        });
        assertThat(t.get("idleByTeam").has("research")).isFalse(); // legacy-eval's GPU is at 0.5
        JsonNode train = task(t, "train-7");
        assertThat(train.get("declaredUtilization").asDouble()).isEqualTo(0.9);
        assertThat(train.get("measuredUtilization").asDouble()).isCloseTo(0.3, within(1e-9));
        assertThat(train.get("powerWatts").asDouble()).isCloseTo(1200, within(1e-6)); // 4 GPUs at 300 W
        assertThat(train.get("source").asText()).isEqualTo("measured");
        assertThat(task(t, "serve-chat").get("measuredUtilization").asDouble()).isCloseTo(0.4, within(1e-9));

        // The model: measured utilisation for running work, h100-001 unhealthy; the cluster as PUT is unchanged.
        Problem base = state.view().base();
        assertThat(base.node("h100-001").healthy()).isFalse();
        assertThat(base.node("h100-002").healthy()).isTrue();
        assertThat(base.running().stream().filter(r -> r.job().id().equals("train-7")).findFirst().orElseThrow()
                .job().utilization()).isCloseTo(0.3, within(1e-9));
        JsonNode asPut = service.get("/v1/cluster").json().get("nodes").get(0);
        assertThat(asPut.get("id").asText()).isEqualTo("h100-001");
        assertThat(asPut.get("healthy").asBoolean()).isTrue();

        // An optimization run evacuates the migratable work of the unhealthy node.
        String id = service.post("/v1/optimizations", "{\"jobs\": [], \"seconds\": 2}").json().get("id").asText();
        JsonNode run = service.awaitRun(id, 60_000);
        assertThat(run.get("status").asText()).isEqualTo("DONE");
        assertThat(run.get("plan").get("moves")).anySatisfy(m -> {
            assertThat(m.get("job").asText()).isEqualTo("train-7");
            assertThat(m.get("fromNode").asText()).isEqualTo("h100-001");
            assertThat(m.get("toNode").asText()).isNotEqualTo("h100-001");
        });

        String metrics = service.get("/prometheus").text();
        assertThat(metrics).contains("gpuplacer_telemetry_unhealthy_gpus 1.0", "gpuplacer_telemetry_idle_tasks 1.0");
    }

    /**
     * Prometheus behind a switch, at the HTTP level: forwarded while up, 503 while down (a TCP proxy proved racy:
     * the JDK client could keep a connection the cut missed).
     */
    private static final class Switch implements AutoCloseable {
        final com.sun.net.httpserver.HttpServer server;
        volatile boolean up = true;

        Switch(java.net.URI target) throws java.io.IOException {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                int status = 503;
                byte[] body = "{\"status\": \"error\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                if (up) {
                    try {
                        var r = http.send(java.net.http.HttpRequest.newBuilder(target.resolve(
                                exchange.getRequestURI().toString())).build(),
                                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                        status = r.statusCode();
                        body = r.body();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, body.length);
                try (var out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void whenPrometheusGoesAwayTheModelKeepsTheFiguresUntilTheyAreStaleThenTakesTheDeclaredOnes() throws Exception {
        try (Switch prometheusSwitch = new Switch(prometheus.base());
             TestService cut = new TestService(db, Map.of("gpuplacer.telemetry.prometheus.url", prometheusSwitch.url(),
                     "gpuplacer.telemetry.first-read", "1h", "gpuplacer.telemetry.stale-after", "4s",
                     "gpuplacer.signals.timeout", "300ms"))) {
            TelemetryRefresh refresh = cut.context().getBean(TelemetryRefresh.class);
            ClusterState state = cut.context().getBean(ClusterState.class);
            refresh.refresh();
            assertThat(state.view().base().node("h100-001").healthy()).isFalse();
            prometheusSwitch.up = false;
            refresh.refresh(); // fails, but what was read a moment ago stays in force
            JsonNode failing = cut.get("/v1/telemetry").json();
            assertThat(failing.get("lastError").asText()).startsWith("unavailable:");
            assertThat(failing.get("inForce").asBoolean()).isTrue();
            assertThat(state.view().base().node("h100-001").healthy()).isFalse();
            Thread.sleep(4_500);
            refresh.refresh();
            assertThat(cut.get("/v1/telemetry").json().get("inForce").asBoolean()).isFalse();
            assertThat(state.view().base().node("h100-001").healthy()).isTrue();
            assertThat(state.view().base().running().stream().filter(r -> r.job().id().equals("train-7")).findFirst()
                    .orElseThrow().job().utilization()).isEqualTo(0.9);
            prometheusSwitch.up = true;
            refresh.refresh();
            assertThat(cut.get("/v1/telemetry").json().get("inForce").asBoolean()).isTrue();
            assertThat(state.view().base().node("h100-001").healthy()).isFalse();
        }
    }

    private static JsonNode task(JsonNode telemetry, String job) {
        for (JsonNode task : telemetry.get("tasks")) {
            if (task.get("job").asText().equals(job)) {
                return task;
            }
        }
        throw new AssertionError("no task " + job + " in " + telemetry);
    }
}
