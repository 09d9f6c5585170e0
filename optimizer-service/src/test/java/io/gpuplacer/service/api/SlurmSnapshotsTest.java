package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.connectors.slurm.SlurmCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service reading a real Slurm cluster (gpuplacer.slurm): its nodes and running work put in force by the
 * leader, the token file read again on every call, and when slurmrestd is gone, the last snapshot kept and /health
 * saying so.
 */
class SlurmSnapshotsTest {

    private static SlurmCluster slurm;
    private static TestDatabase.Credentials db;
    private static Path tokenFile;

    @BeforeAll
    static void start() throws Exception {
        slurm = SlurmCluster.start(List.of(new SlurmCluster.NodeSpec("a1", "a100", 4, 8, 16000),
                new SlurmCluster.NodeSpec("a2", "a100", 4, 8, 16000),
                new SlurmCluster.NodeSpec("h1", "h100", 4, 8, 16000)), "");
        db = TestDatabase.fresh();
        tokenFile = Files.createTempFile("slurm-token", ".jwt");
    }

    @AfterAll
    static void stop() throws Exception {
        if (slurm != null) {
            slurm.close();
        }
        if (db != null) {
            TestDatabase.drop(db);
        }
        Files.deleteIfExists(tokenFile);
    }

    private static Map<String, Object> properties() {
        Map<String, Object> props = new HashMap<>();
        props.put("gpuplacer.load-example", false);
        props.put("gpuplacer.slurm.enabled", true);
        props.put("gpuplacer.slurm.url", slurm.url());
        props.put("gpuplacer.slurm.user", "root");
        props.put("gpuplacer.slurm.token-file", tokenFile.toString());
        props.put("gpuplacer.slurm.zone", "DE-LU");
        props.put("gpuplacer.slurm.pue", 1.2);
        props.put("gpuplacer.slurm.poll", "1s");
        props.put("gpuplacer.slurm.gpu-models", List.of(Map.of("type", "a100", "model", "A100-80GB"),
                Map.of("type", "h100", "model", "H100-80GB")));
        props.put("gpuplacer.kubernetes.node-types", List.of(Map.of("type", "*", "cost-per-hour", 4,
                "base-watts", 500, "gpu-busy-watts", 350)));
        return props;
    }

    @Test
    void theClusterIsReadAndKeptWhenSlurmrestdIsGone() throws Exception {
        Files.writeString(tokenFile, "SLURM_JWT=" + slurm.token(Duration.ofHours(1)) + "\n"); // as scontrol prints it
        String job = slurm.sbatch("-N", "1", "--gres=gpu:a100:2", "--time=60", "--output=/dev/null", "--wrap",
                "sleep 600");
        slurm.awaitState(job, "RUNNING", Duration.ofSeconds(60));
        try (TestService service = new TestService(db, properties())) {
            JsonNode cluster = await(service, c -> c.path("running").toString().contains("slurm-" + job));
            assertThat(cluster.get("nodes")).extracting(n -> n.get("id").asText())
                    .containsExactly("a1", "a2", "h1");
            assertThat(cluster.get("nodes").get(2).get("gpuModel").asText()).isEqualTo("H100-80GB");
            JsonNode slurmHealth = service.get("/health").json().get("details").get("slurm").get("details");
            assertThat(slurmHealth.get("reachable").asBoolean()).isTrue();
            assertThat(slurmHealth.get("nodes").asInt()).isEqualTo(3);
            assertThat(slurmHealth.get("tokenExpiresAt").isNull()).isFalse();
            Thread.sleep(2500); // more polls of an unchanged cluster: nothing new to store
            assertThat(service.get("/v1/state/versions?kind=cluster").json()).as("one version per change, not per poll")
                    .hasSize(1);

            // A token that slurmctld refuses, then a renewed one: the file is read again on every call.
            Files.writeString(tokenFile, "not-a-token");
            JsonNode refused = awaitHealth(service, h -> !h.get("reachable").asBoolean());
            assertThat(refused.get("error").asText()).contains("slurmrestd").doesNotContain("not-a-token");
            Files.writeString(tokenFile, slurm.token(Duration.ofHours(1)));
            awaitHealth(service, h -> h.get("reachable").asBoolean());

            // slurmrestd gone: the state in force stays as the last snapshot left it, and /health says so.
            long version = service.get("/v1/state/versions?kind=cluster").json().get(0).get("id").asLong();
            slurm.stopRest();
            JsonNode down = awaitHealth(service, h -> !h.get("reachable").asBoolean());
            assertThat(down.get("failingSince").isNull()).isFalse();
            assertThat(down.get("lastSnapshotAt").isNull()).isFalse();
            Thread.sleep(2500); // two more failed polls
            JsonNode kept = service.get("/v1/cluster").json();
            assertThat(kept.path("running").toString()).contains("slurm-" + job);
            assertThat(kept.get("nodes")).hasSize(3);
            assertThat(service.get("/v1/state/versions?kind=cluster").json().get(0).get("id").asLong())
                    .as("no new version while slurmrestd is gone").isEqualTo(version);
            assertThat(service.call("GET", "/health", null, null).status()).as("still serving").isEqualTo(200);
        } finally {
            slurm.run("scancel", job);
        }
    }

    private static JsonNode await(TestService service, Predicate<JsonNode> ready) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            JsonNode cluster = service.get("/v1/cluster").json();
            if (ready.test(cluster)) {
                return cluster;
            }
            assertThat(System.currentTimeMillis()).as("the Slurm snapshot in force: " + cluster).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static JsonNode awaitHealth(TestService service, Predicate<JsonNode> ready) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            JsonNode slurmHealth = service.get("/health").json().path("details").path("slurm").path("details");
            if (!slurmHealth.isMissingNode() && ready.test(slurmHealth)) {
                return slurmHealth;
            }
            assertThat(System.currentTimeMillis()).as("/health: " + slurmHealth).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
