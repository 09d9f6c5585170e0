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

/**
 * A run whose solver fails ends FAILED with a bounded message, a run killed mid-solve keeps its checkpoint, and
 * weights changed while the process is killed are either there whole or not at all.
 */
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
            String id = serve.startRun(ProblemGenerator.generate(30, 120, 5), 300);
            Thread.sleep(5_000); // several checkpoints of one second
            serve.kill(); // SIGKILL: no shutdown hook, nothing stored on the way out
            try (TestService after = new TestService(db)) {
                JsonNode run = after.get("/v1/optimizations/" + id).json();
                assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("FAILED");
                assertThat(run.get("error").asText()).contains("the service solving this run stopped");
                assertThat(run.get("plan").get("placements").size()).isPositive();
                assertThat(run.get("plan").get("warnings").toString()).contains("checkpoint after");
            }
        } finally {
            serve.kill();
            TestDatabase.drop(db);
        }
    }

    @Test
    void killedDuringWeightsChangesNothingCommittedIsLostAndNothingHalfWrittenShows() throws Exception {
        TestDatabase.Credentials db = TestDatabase.fresh();
        ChildService serve = ChildService.start(db, Map.of());
        java.util.concurrent.atomic.AtomicInteger acknowledged = new java.util.concurrent.atomic.AtomicInteger();
        Thread writer = new Thread(() -> {
            for (int i = 1; i <= 10_000; i++) {
                try {
                    serve.send("PUT", "/v1/weights", "{\"weights\": {\"moveCostUsd\": " + i + "}, \"reason\": \"r" + i
                            + "\"}", 200);
                    acknowledged.set(i);
                } catch (Throwable e) {
                    return; // the process is gone
                }
            }
        });
        try {
            writer.start();
            Thread.sleep(2_000);
            serve.kill(); // SIGKILL while changes are in flight
            writer.join(30_000);
            try (TestService after = new TestService(db)) {
                JsonNode history = after.get("/v1/weights/history").json();
                int versions = history.size() - 1; // version 1 is the catalogue defaults
                assertThat(versions).as("every acknowledged change is kept").isGreaterThanOrEqualTo(acknowledged.get());
                assertThat(acknowledged.get()).as("changes went through before the kill").isPositive();
                for (int v = 1; v <= versions; v++) { // each whole, in order
                    JsonNode entry = history.get(v);
                    assertThat(entry.get("version").asLong()).isEqualTo(v + 1);
                    assertThat(entry.get("reason").asText()).isEqualTo("r" + v);
                    assertThat(entry.get("set").get("moveCostUsd").asDouble()).isEqualTo(v);
                }
                JsonNode current = after.get("/v1/weights").json();
                assertThat(current.get("version").asLong()).isEqualTo(versions + 1);
            }
        } finally {
            serve.kill();
            TestDatabase.drop(db);
        }
    }
}
