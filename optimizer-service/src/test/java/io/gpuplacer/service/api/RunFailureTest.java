package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.service.bench.ProblemGenerator;
import io.micronaut.http.sse.Event;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A run whose solver fails ends FAILED with a bounded message, and a run killed mid-solve keeps its checkpoint. */
class RunFailureTest {

    @Test
    void anErrorInTheSolverEndsTheRunAsFailedWithABoundedMessageAndEndsItsEvents() throws Exception {
        TestDatabase.Credentials db = TestDatabase.fresh();
        try (TestService service = new TestService(db, Map.of("test.solver", "out-of-memory"))) {
            String id = service.post("/v1/optimizations", "{\"jobs\": " + Files.readString(Path.of(
                    "../examples/jobs.json")) + ", \"seconds\": 30}").json().get("id").asText();
            JsonNode run = service.awaitRun(id, 20_000);
            assertThat(run.get("status").asText()).isEqualTo("FAILED");
            String error = run.get("error").asText();
            assertThat(error).startsWith("OutOfMemoryError: Java heap space").hasSizeLessThanOrEqualTo(500);
            List<Event<String>> events = service.events("/v1/optimizations/" + id + "/events");
            assertThat(events).isNotEmpty();
            assertThat(events.get(events.size() - 1).getName()).isEqualTo("FAILED");
        } finally {
            TestDatabase.drop(db);
        }
    }

    @Test
    void killedMidSolveTheRunIsFailedOnRestartWithItsLastCheckpoint() throws Exception {
        TestDatabase.Credentials db = TestDatabase.fresh();
        ChildService serve = ChildService.start(db, Map.of("GPUPLACER_CHECKPOINT_SECONDS", "1"));
        try {
            ProblemGenerator.Documents docs = ProblemGenerator.generate(30, 120, 5);
            serve.send("PUT", "/v1/cluster", docs.cluster().toString(), 200);
            serve.send("PUT", "/v1/signals", docs.signals().toString(), 200);
            String id = TestService.JSON.readTree(serve.send("POST", "/v1/optimizations", "{\"jobs\": " + docs.jobs()
                    + ", \"seconds\": 300}", 202)).get("id").asText();
            Thread.sleep(5_000); // several checkpoints of one second
            serve.kill(); // SIGKILL: no shutdown hook, nothing stored on the way out
            try (TestService after = new TestService(db)) {
                JsonNode run = after.get("/v1/optimizations/" + id).json();
                assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("FAILED");
                assertThat(run.get("error").asText()).contains("stopped while this run was solving");
                assertThat(run.get("plan").get("placements").size()).isPositive();
                assertThat(run.get("plan").get("warnings").toString()).contains("checkpoint after");
            }
        } finally {
            serve.kill();
            TestDatabase.drop(db);
        }
    }
}
