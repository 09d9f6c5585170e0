package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.service.bench.ProblemGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every endpoint and its errors over HTTP, against a real MySQL-family database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceApiTest {

    private TestDatabase.Credentials db;
    private TestService service;

    @BeforeAll
    void start() {
        db = TestDatabase.fresh();
        // A small body limit, so that 413 can be shown without sending megabytes.
        service = new TestService(db, Map.of("micronaut.server.max-request-size", "256KB"));
    }

    @AfterAll
    void stop() {
        service.close();
        TestDatabase.drop(db);
    }

    @Test
    void healthMetricsAndOpenApiAnswer() {
        TestService.Reply health = service.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("UP");

        service.post("/v1/recommendations", "{\"job\": " + Recommendations.job("m1", 1, "{\"kind\":\"WHOLE\",\"count\":1}",
                "ANY") + "}");
        TestService.Reply metrics = service.get("/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.text()).contains("gpuplacer_recommendation_latency_seconds_bucket",
                "gpuplacer_optimization_best_score", "http_server_requests_seconds_count");

        TestService.Reply openApi = service.get("/openapi.yml");
        assertThat(openApi.status()).isEqualTo(200);
        assertThat(openApi.text()).contains("/v1/cluster:", "/v1/signals:", "/v1/recommendations:",
                "/v1/optimizations:", "/v1/optimizations/{id}:", "/v1/optimizations/{id}/events:", "/v1/weights:",
                "/v1/weights/history:");
    }

    @Test
    void theBundledExampleIsServedUntilAClusterIsPut() {
        JsonNode cluster = service.get("/v1/cluster").json();
        assertThat(cluster.get("nodes").size()).isGreaterThan(10);
        JsonNode signals = service.get("/v1/signals").json();
        assertThat(signals.get("zones").has("DE-LU")).isTrue();
    }

    @Test
    void recommendationsAreFeasibleBestFirstAndCoverGangs() throws Exception {
        JsonNode cluster = service.get("/v1/cluster").json();
        JsonNode signals = service.get("/v1/signals").json();
        List<ObjectNode> jobs = List.of(
                Recommendations.job("one-gpu", 1, "{\"kind\":\"WHOLE\",\"count\":1}", "ANY"),
                Recommendations.job("shared", 1, "{\"kind\":\"SHARED\",\"milli\":300}", "ANY"),
                Recommendations.job("mig", 1, "{\"kind\":\"MIG\",\"profile\":\"1g.10gb\"}", "ANY"),
                Recommendations.job("node-gang", 2, "{\"kind\":\"WHOLE\",\"count\":2}", "NODE"),
                Recommendations.job("island-gang", 2, "{\"kind\":\"WHOLE\",\"count\":2}", "ISLAND"),
                Recommendations.job("block-gang", 3, "{\"kind\":\"WHOLE\",\"count\":8}", "BLOCK"),
                Recommendations.job("any-gang", 4, "{\"kind\":\"WHOLE\",\"count\":4}", "ANY"));
        for (ObjectNode job : jobs) {
            TestService.Reply reply = service.post("/v1/recommendations", "{\"job\": " + job + ", \"limit\": 3}");
            assertThat(reply.status()).as(reply.text()).isEqualTo(200);
            JsonNode recs = reply.json().get("recommendations");
            assertThat(recs.size()).as("%s: %s", job.get("id"), reply.text()).isBetween(1, 3);
            String previous = null;
            for (JsonNode rec : recs) {
                assertThat(rec.get("placements").size()).isEqualTo(job.get("tasks").asInt());
                Recommendations.assertFeasible(cluster, signals, job, reply.json().get("now").asText(), rec);
                assertThat(rec.get("explanation").size()).isEqualTo(3);
                if (previous != null) { // best first: the score changes do not increase
                    assertThat(compare(previous, rec.get("scoreDiff").asText())).isGreaterThanOrEqualTo(0);
                }
                previous = rec.get("scoreDiff").asText();
            }
        }
    }

    @Test
    void aJobThatFitsNowhereGetsNoRecommendationAndTheReason() {
        ObjectNode job = Recommendations.job("too-big", 1, "{\"kind\":\"WHOLE\",\"count\":64}", "ANY");
        TestService.Reply reply = service.post("/v1/recommendations", "{\"job\": " + job + "}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("recommendations").size()).isZero();
        assertThat(reply.json().get("reasons").get(0).asText()).contains("no node can take", "too small");
    }

    @Test
    void badRecommendationRequestsGet400NamingTheFieldAndValue() {
        ObjectNode job = Recommendations.job("bad", 1, "{\"kind\":\"WHOLE\",\"count\":1}", "ANY");
        job.put("durationHours", -2);
        TestService.Reply reply = service.post("/v1/recommendations", "{\"job\": " + job + "}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("field").asText()).isEqualTo("job.durationHours");
        assertThat(reply.json().get("value").asText()).isEqualTo("-2");
        assertThat(reply.json().get("error").asText()).contains("job.durationHours", "-2");

        TestService.Reply limit = service.post("/v1/recommendations", "{\"job\": " + job.put("durationHours", 1)
                + ", \"limit\": 0}");
        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.json().get("field").asText()).isEqualTo("limit");

        TestService.Reply syntax = service.post("/v1/recommendations", "{\"job\": {");
        assertThat(syntax.status()).isEqualTo(400);
        assertThat(syntax.json().get("error").asText()).contains("invalid JSON at line 1");

        TestService.Reply missing = service.post("/v1/recommendations", "{\"limit\": 2}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("field").asText()).isEqualTo("job");

        TestService.Reply running = service.post("/v1/recommendations", "{\"job\": "
                + Recommendations.job("train-7", 1, "{\"kind\":\"WHOLE\",\"count\":1}", "ANY") + "}");
        assertThat(running.status()).isEqualTo(400);
        assertThat(running.json().get("field").asText()).isEqualTo("job.id");
        assertThat(running.json().get("error").asText()).contains("already running");

        TestService.Reply notObject = service.post("/v1/recommendations", "[1, 2]");
        assertThat(notObject.status()).isEqualTo(400);
        assertThat(notObject.json().get("error").asText()).contains("must be a JSON object");

        // Input that cannot be true (v1.1): an instant whose slot would not fit an int, a number beyond 64 bits.
        TestService.Reply farAway = service.post("/v1/recommendations", "{\"job\": " + job.deepCopy()
                .put("deadline", "+1000000000-01-01T00:00:00Z") + "}");
        assertThat(farAway.status()).isEqualTo(400);
        assertThat(farAway.json().get("field").asText()).isEqualTo("job.deadline");
        assertThat(farAway.json().get("error").asText()).contains("lies too far from now");
        TestService.Reply wraps = service.post("/v1/recommendations", "{\"job\": " + job.toString()
                .replace("\"priority\":10", "\"priority\":18446744073709551617") + "}");
        assertThat(wraps.status()).as(wraps.text()).isEqualTo(400);
        assertThat(wraps.json().get("field").asText()).isEqualTo("job.priority");
    }

    @Test
    void bodiesOverTheLimitGet413() {
        String big = "{\"job\": {\"id\": \"" + "x".repeat(300 * 1024) + "\"}}";
        TestService.Reply reply = service.post("/v1/recommendations", big);
        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json().get("error").asText()).contains("exceeds the maximum");
    }

    @Test
    void theFrameworksOwnErrorsHaveTheSameShape() {
        TestService.Reply route = service.get("/v1/nothing");
        assertThat(route.status()).isEqualTo(404);
        assertThat(route.json().get("error").asText()).isEqualTo("no such endpoint: GET /v1/nothing; see /openapi.yml");
        TestService.Reply method = service.delete("/v1/weights");
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.json().has("field")).isTrue();
        TestService.Reply empty = service.put("/v1/cluster", "");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("error").asText()).isEqualTo("cluster: the request body is empty; expected a "
                + "JSON object");
        assertThat(empty.json().get("field").asText()).isEqualTo("cluster"); // the document: no field inside yet
        TestService.Reply limit = service.get("/v1/optimizations?limit=abc");
        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.json().get("value").asText()).isEqualTo("abc");
    }

    @Test
    void weightsAreVersionedValidatedAndUsedByLaterRecommendations() {
        JsonNode current = service.get("/v1/weights").json();
        long version = current.get("version").asLong();
        assertThat(current.get("weights").get("carbonPriceUsdPerTonne").asDouble()).isPositive();
        assertThat(current.get("catalogue").size()).isGreaterThan(10);

        TestService.Reply unknown = service.put("/v1/weights", "{\"weights\": {\"carbonPrize\": 5}, \"reason\": \"x\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("field").asText()).isEqualTo("weights.carbonPrize");
        assertThat(unknown.json().get("error").asText()).contains("unknown knob");
        TestService.Reply range = service.put("/v1/weights",
                "{\"weights\": {\"carbonPriceUsdPerTonne\": -1}, \"reason\": \"x\"}");
        assertThat(range.status()).isEqualTo(400);
        assertThat(range.json().get("field").asText()).isEqualTo("weights.carbonPriceUsdPerTonne");
        assertThat(range.json().get("value").asText()).isEqualTo("-1.0");
        TestService.Reply noReason = service.put("/v1/weights", "{\"weights\": {\"carbonPriceUsdPerTonne\": 9}}");
        assertThat(noReason.status()).isEqualTo(400);
        // Longer than the database keeps: a 400 naming the field, never a 500 (nor SQL in the body).
        TestService.Reply longReason = service.put("/v1/weights", "{\"weights\": {}, \"reason\": \"" + "r".repeat(2001)
                + "\"}");
        assertThat(longReason.status()).isEqualTo(400);
        assertThat(longReason.json().get("field").asText()).isEqualTo("reason");
        assertThat(longReason.text()).doesNotContainIgnoringCase("insert");
        assertThat(noReason.json().get("field").asText()).isEqualTo("reason");
        assertThat(service.get("/v1/weights").json().get("version").asLong()).as("nothing stored").isEqualTo(version);

        TestService.Reply put = service.put("/v1/weights",
                "{\"weights\": {\"carbonPriceUsdPerTonne\": 900, \"nodeCostWeight\": 0}, \"reason\": \"pilot\"}", "alice");
        assertThat(put.status()).as(put.text()).isEqualTo(200);
        assertThat(put.json().get("version").asLong()).isEqualTo(version + 1);
        assertThat(put.json().get("weights").get("carbonPriceUsdPerTonne").asDouble()).isEqualTo(900);
        assertThat(put.json().get("author").asText()).isEqualTo("alice");

        JsonNode rec = service.post("/v1/recommendations", "{\"job\": " + Recommendations.job("after", 1,
                "{\"kind\":\"WHOLE\",\"count\":1}", "ANY") + "}").json();
        assertThat(rec.get("weightsVersion").asLong()).isEqualTo(version + 1);

        JsonNode history = service.get("/v1/weights/history").json();
        JsonNode last = history.get(history.size() - 1);
        assertThat(last.get("version").asLong()).isEqualTo(version + 1);
        assertThat(last.get("reason").asText()).isEqualTo("pilot");
        assertThat(last.get("author").asText()).isEqualTo("alice");
        assertThat(last.get("set").get("nodeCostWeight").asDouble()).isZero();
        assertThat(history.get(0).get("author").asText()).isEqualTo("system");
    }

    @Test
    void clusterAndSignalsAreReplacedWholeAndValidatedFirst() throws Exception {
        ProblemGenerator.Documents docs = ProblemGenerator.generate(30, 10, 7);
        TestService.Reply bad = service.put("/v1/cluster", "{\"zones\": [], \"nodes\": [{\"id\": 3}]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("field").asText()).startsWith("nodes[0]");
        assertThat(service.get("/v1/cluster").json().get("nodes").size()).as("unchanged")
                .isNotEqualTo(30);

        TestService.Reply put = service.put("/v1/cluster", docs.cluster().toString(), "ops");
        assertThat(put.status()).as(put.text()).isEqualTo(200);
        assertThat(put.json().get("nodes").asInt()).isEqualTo(30);
        assertThat(service.get("/v1/cluster").json()).isEqualTo(docs.cluster());

        ObjectNode unknownZone = TestService.JSON.createObjectNode();
        unknownZone.putObject("zones").putObject("MARS-1").putArray("carbon");
        TestService.Reply badSignals = service.put("/v1/signals", unknownZone.toString());
        assertThat(badSignals.status()).isEqualTo(400);
        assertThat(badSignals.json().get("error").asText()).contains("MARS-1", "not a zone of the cluster");
        TestService.Reply signals = service.put("/v1/signals", docs.signals().toString());
        assertThat(signals.status()).as(signals.text()).isEqualTo(200);

        // The oracle now answers on the new cluster.
        JsonNode rec = service.post("/v1/recommendations", "{\"job\": " + Recommendations.job("new", 1,
                "{\"kind\":\"WHOLE\",\"count\":1}", "ANY") + "}").json();
        List<String> nodeIds = new ArrayList<>();
        docs.cluster().get("nodes").forEach(n -> nodeIds.add(n.get("id").asText()));
        assertThat(nodeIds).contains(rec.get("recommendations").get(0).get("placements").get(0).get("node").asText());
        // Put the example back for the other tests.
        assertThat(service.put("/v1/cluster", Files.readString(Path.of("../examples/cluster.json"))).status())
                .isEqualTo(200);
        assertThat(service.put("/v1/signals", Files.readString(Path.of("../examples/signals.json"))).status())
                .isEqualTo(200);
    }

    @Test
    void anOptimizationRunSolvesStoresItsPlanAndStreamsProgress() throws Exception {
        String jobs = Files.readString(Path.of("../examples/jobs.json"));
        TestService.Reply started = service.post("/v1/optimizations", "{\"jobs\": " + jobs + ", \"seconds\": 3}");
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        String id = started.json().get("id").asText();
        assertThat(started.json().get("status").asText()).isEqualTo("SOLVING");

        List<io.micronaut.http.sse.Event<String>> events = service.events("/v1/optimizations/" + id + "/events");
        List<String> names = events.stream().map(io.micronaut.http.sse.Event::getName).toList();
        assertThat(names).contains("progress").last().isEqualTo("DONE");
        assertThat(TestService.JSON.readTree(events.get(0).getData()).get("totalTasks").asInt()).isPositive();

        JsonNode run = service.awaitRun(id, 30_000);
        assertThat(run.get("status").asText()).isEqualTo("DONE");
        assertThat(run.get("plan").get("feasible").asBoolean()).isTrue();
        assertThat(run.get("plan").get("placements").size()).isPositive();
        assertThat(run.get("score").asText()).isEqualTo(run.get("plan").get("score").asText());

        JsonNode list = service.get("/v1/optimizations").json();
        assertThat(list.findValuesAsText("id")).contains(id);
        assertThat(list.get(0).get("plan").isNull()).as("listings leave plans out").isTrue();
    }

    @Test
    void stoppingARunKeepsItsBestPlan() throws Exception {
        String jobs = Files.readString(Path.of("../examples/jobs.json"));
        String id = service.post("/v1/optimizations", "{\"jobs\": " + jobs + ", \"seconds\": 120}").json()
                .get("id").asText();
        // Wait for a first best solution, then stop.
        JsonNode run = service.get("/v1/optimizations/" + id).json();
        for (int i = 0; i < 200 && run.get("progress").isNull(); i++) {
            Thread.sleep(50);
            run = service.get("/v1/optimizations/" + id).json();
        }
        long stoppedAt = System.currentTimeMillis();
        assertThat(service.delete("/v1/optimizations/" + id).status()).isEqualTo(200);
        JsonNode stopped = service.awaitRun(id, 30_000);
        assertThat(stopped.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(System.currentTimeMillis() - stoppedAt).as("stops early").isLessThan(20_000);
        assertThat(stopped.get("plan").get("placements").size()).isPositive();
    }

    @Test
    void badOrUnknownRunsGet400Or404() {
        assertThat(service.get("/v1/optimizations/no-such-run").status()).isEqualTo(404);
        assertThat(service.get("/v1/optimizations/no-such-run").json().get("value").asText()).isEqualTo("no-such-run");
        assertThat(service.delete("/v1/optimizations/no-such-run").status()).isEqualTo(404);
        assertThat(service.get("/v1/optimizations/no-such-run/events").status()).isEqualTo(404);
        TestService.Reply seconds = service.post("/v1/optimizations", "{\"jobs\": [], \"seconds\": 0}");
        assertThat(seconds.status()).isEqualTo(400);
        assertThat(seconds.json().get("field").asText()).isEqualTo("seconds");
        TestService.Reply noJobs = service.post("/v1/optimizations", "{\"seconds\": 5}");
        assertThat(noJobs.status()).isEqualTo(400);
        assertThat(noJobs.json().get("field").asText()).isEqualTo("jobs");
        TestService.Reply badJob = service.post("/v1/optimizations", "{\"jobs\": [{\"id\": \"a\", \"tasks\": 0}]}");
        assertThat(badJob.status()).isEqualTo(400);
        assertThat(badJob.json().get("field").asText()).isEqualTo("jobs.jobs[0].tasks");
        assertThat(service.get("/v1/optimizations?limit=0").status()).isEqualTo(400);
    }

    /** Compares two HardMediumSoft score strings like {@code 0hard/10medium/-5soft}. */
    private static int compare(String a, String b) {
        long[] x = parse(a);
        long[] y = parse(b);
        for (int i = 0; i < 3; i++) {
            if (x[i] != y[i]) {
                return Long.compare(x[i], y[i]);
            }
        }
        return 0;
    }

    private static long[] parse(String score) {
        String[] parts = score.split("/");
        return new long[]{Long.parseLong(parts[0].replace("hard", "")), Long.parseLong(parts[1].replace("medium", "")),
                Long.parseLong(parts[2].replace("soft", ""))};
    }
}
