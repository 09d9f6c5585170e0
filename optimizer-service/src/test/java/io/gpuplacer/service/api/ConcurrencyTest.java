package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recommendations from several callers while an optimization runs and the weights change: every answer is a
 * 200 with feasible places, and each caller sees the weights version only move forward.
 */
class ConcurrencyTest {

    @Test
    void recommendationsStayFeasibleWhileARunSolvesAndWeightsChange() throws Exception {
        TestDatabase.Credentials db = TestDatabase.fresh();
        // The callers go as fast as they can, past any sane per-token rate: the limit is LimitsTest's subject.
        try (TestService service = new TestService(db, java.util.Map.of("gpuplacer.rate-limit-per-second", 0))) {
            JsonNode cluster = service.get("/v1/cluster").json();
            JsonNode signals = service.get("/v1/signals").json();
            String runId = service.post("/v1/optimizations", "{\"jobs\": " + Files.readString(Path.of(
                    "../examples/jobs.json")) + ", \"seconds\": 4}").json().get("id").asText();
            AtomicBoolean running = new AtomicBoolean(true);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<JsonNode[]> answers = new ConcurrentLinkedQueue<>();
            ExecutorService callers = Executors.newFixedThreadPool(4);
            List<Future<Integer>> counts = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int caller = c;
                counts.add(callers.submit(() -> {
                    long lastVersion = 0;
                    int n = 0;
                    while (running.get()) {
                        ObjectNode job = Recommendations.job("c" + caller + "-" + n, 1 + n % 2,
                                "{\"kind\":\"WHOLE\",\"count\":" + (1 + n % 4) + "}", n % 3 == 0 ? "NODE" : "ANY");
                        TestService.Reply r = service.post("/v1/recommendations", "{\"job\": " + job + "}");
                        if (r.status() != 200) {
                            failures.add(r.status() + " " + r.text());
                            continue;
                        }
                        long version = r.json().get("weightsVersion").asLong();
                        if (version < lastVersion) {
                            failures.add("weights version went back from " + lastVersion + " to " + version);
                        }
                        lastVersion = version;
                        answers.add(new JsonNode[]{job, r.json()});
                        n++;
                    }
                    return n;
                }));
            }
            for (int v = 0; v < 5; v++) {
                assertThat(service.put("/v1/weights", "{\"weights\": {\"carbonPriceUsdPerTonne\": " + (100 * v + 1)
                        + "}, \"reason\": \"sweep " + v + "\"}").status()).isEqualTo(200);
                Thread.sleep(300);
            }
            JsonNode run = service.awaitRun(runId, 60_000);
            running.set(false);
            int total = 0;
            for (Future<Integer> f : counts) {
                total += f.get();
            }
            callers.shutdown();
            assertThat(failures).isEmpty();
            assertThat(run.get("status").asText()).isEqualTo("DONE");
            assertThat(total).isGreaterThan(20);
            for (JsonNode[] answer : answers) {
                for (JsonNode rec : answer[1].get("recommendations")) {
                    Recommendations.assertFeasible(cluster, signals, answer[0], answer[1].get("now").asText(), rec);
                }
            }
        } finally {
            TestDatabase.drop(db);
        }
    }
}
