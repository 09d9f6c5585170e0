package io.gpuplacer.connectors.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.connectors.kubernetes.snapshot.SnapshotSettings.NodeFacts;
import io.gpuplacer.connectors.kubernetes.snapshot.SnapshotSettings.Zone;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.RunningTask;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The snapshot of a real Slurm cluster read through slurmrestd (JWT): nodes with their GRES, CPUs, memory and state,
 * and a running job as running work on the nodes and GPU indices Slurm gave it, accepted by the contract's reader.
 */
class SlurmSnapshotTest {

    private static SlurmCluster slurm;
    private static SlurmRest rest;
    private static final SlurmMapping MAPPING = new SlurmMapping(new Zone("DE-LU", 1.2),
            Map.of("a100", "A100-80GB", "h100", "H100-80GB"),
            Map.of("*", new NodeFacts(30.0, 800, 300, false), "H100-80GB", new NodeFacts(98.3, 1800, 630, false)), 24);

    @BeforeAll
    static void start() throws Exception {
        slurm = SlurmCluster.start(List.of(new SlurmCluster.NodeSpec("a1", "a100", 4, 8, 16000),
                new SlurmCluster.NodeSpec("a2", "a100", 4, 8, 16000),
                new SlurmCluster.NodeSpec("h1", "h100", 4, 8, 16000)), "");
        String token = slurm.token(Duration.ofHours(1));
        rest = new SlurmRest(URI.create(slurm.url()), "root", () -> token, Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        if (slurm != null) {
            slurm.close();
        }
    }

    @Test
    void nodesAndTheirGpusAreRead() throws Exception {
        slurm.run("scontrol", "update", "nodename=h1", "state=drain", "reason=maintenance");
        try {
            ObjectNode cluster = snapshot().cluster();
            List<String> names = new ArrayList<>();
            cluster.get("nodes").forEach(n -> names.add(n.get("id").asText()));
            assertThat(names).containsExactly("a1", "a2", "h1");
            JsonNode a1 = node(cluster, "a1");
            assertThat(a1.get("gpuModel").asText()).isEqualTo("A100-80GB");
            assertThat(a1.get("gpuCount").asInt()).isEqualTo(4);
            assertThat(a1.get("cpuMillis").asLong()).isEqualTo(8000);
            assertThat(a1.get("memoryMiB").asLong()).isEqualTo(16000);
            assertThat(a1.get("schedulable").asBoolean()).isTrue();
            assertThat(a1.get("costPerHour").asDouble()).isEqualTo(30.0);
            JsonNode h1 = node(cluster, "h1");
            assertThat(h1.get("gpuModel").asText()).isEqualTo("H100-80GB");
            assertThat(h1.get("costPerHour").asDouble()).isEqualTo(98.3);
            assertThat(h1.get("schedulable").asBoolean()).as("drained").isFalse();
            assertThat(h1.get("healthy").asBoolean()).isTrue();
            assertThat(cluster.get("zones").get(0).get("id").asText()).isEqualTo("DE-LU");
        } finally {
            slurm.run("scontrol", "update", "nodename=h1", "state=resume");
        }
    }

    @Test
    void aRunningJobIsRunningWorkOnItsNodesAndGpus() throws Exception {
        String id = slurm.sbatch("-N", "2", "--gres=gpu:a100:2", "--time=120", "--account=nlp", "--output=/dev/null",
                "--wrap", "sleep 600");
        slurm.awaitState(id, "RUNNING", Duration.ofSeconds(60));
        try {
            SlurmSnapshot.Result result = snapshot();
            assertThat(result.skipped()).isEmpty();
            List<JsonNode> tasks = new ArrayList<>();
            result.cluster().get("running").forEach(t -> {
                if (t.get("job").asText().equals("slurm-" + id)) {
                    tasks.add(t);
                }
            });
            assertThat(tasks).hasSize(2);
            assertThat(tasks).extracting(t -> t.get("node").asText()).containsExactlyInAnyOrder("a1", "a2");
            for (JsonNode t : tasks) {
                assertThat(t.get("gpu").get("count").asInt()).isEqualTo(2);
                assertThat(t.get("gpus")).hasSize(2);
                assertThat(t.get("team").asText()).isEqualTo("nlp");
                assertThat(t.get("remainingHours").asDouble()).isBetween(1.9, 2.0);
                assertThat(t.get("topology").asText()).isEqualTo("ANY");
            }
            // The contract's own reader takes it: the GPUs Slurm named are the devices the running work holds.
            ObjectNode jobs = JsonNodeFactory.instance.objectNode();
            jobs.put("now", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS).toString()).putArray("jobs");
            Problem problem = new ProblemReader().read(result.cluster(), jobs, null);
            List<RunningTask> running = problem.running().stream().filter(r -> r.job().id().equals("slurm-" + id))
                    .toList();
            assertThat(running).hasSize(2);
            for (RunningTask r : running) {
                int[] held = r.gpus();
                JsonNode fromSlurm = tasks.stream().filter(t -> t.get("node").asText().equals(r.node().id()))
                        .findFirst().orElseThrow().get("gpus");
                assertThat(held).containsExactly(fromSlurm.get(0).asInt(), fromSlurm.get(1).asInt());
            }
        } finally {
            slurm.run("scancel", id);
        }
    }

    @Test
    void aPendingJobIsAJobWithItsGangWindowAndDemand() throws Exception {
        Instant now = Instant.now();
        String begin = now.plusSeconds(2 * 3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()
                .replace("Z", "");
        String deadline = now.plusSeconds(10 * 3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()
                .replace("Z", "");
        // Held (-H), so that it stays pending; slurmctld's clock is UTC here.
        String id = slurm.sbatch("-H", "-N", "2", "--gres=gpu:a100:2", "--cpus-per-task=3", "--mem=6000",
                "--time=90", "--begin=" + begin, "--deadline=" + deadline, "--account=cv", "--output=/dev/null",
                "--wrap", "sleep 1");
        String plain = slurm.sbatch("-H", "-N", "1", "--gres=gpu:h100:1", "--time=30", "--output=/dev/null", "--wrap",
                "sleep 1");
        try {
            SlurmSnapshot.Pending pending = new SlurmSnapshot(MAPPING).pending(rest.jobs(), now);
            assertThat(pending.skipped()).isEmpty();
            JsonNode job = pending.jobs().stream().filter(j -> j.get("id").asText().equals("slurm-" + id)).findFirst()
                    .orElseThrow();
            assertThat(job.get("tasks").asInt()).as("a gang of its nodes").isEqualTo(2);
            assertThat(job.get("gpu").get("count").asInt()).isEqualTo(2);
            assertThat(job.get("gpuModels").get(0).asText()).isEqualTo("A100-80GB");
            assertThat(job.get("cpuMillis").asLong()).isEqualTo(3000);
            assertThat(job.get("memoryMiB").asLong()).isEqualTo(6000);
            assertThat(job.get("durationHours").asDouble()).isEqualTo(1.5);
            assertThat(job.get("team").asText()).isEqualTo("cv");
            assertThat(job.get("earliestStart").asText()).isEqualTo(begin + "Z");
            assertThat(job.get("deadline").asText()).isEqualTo(deadline + "Z");
            JsonNode now2 = pending.jobs().stream().filter(j -> j.get("id").asText().equals("slurm-" + plain))
                    .findFirst().orElseThrow();
            assertThat(now2.has("deadline")).as("no --deadline: it must start now").isFalse();
            assertThat(now2.get("gpuModels").get(0).asText()).isEqualTo("H100-80GB");

            // The contract's reader takes them with the cluster they wait on: the window is the job's.
            ObjectNode jobs = JsonNodeFactory.instance.objectNode();
            jobs.put("now", now.truncatedTo(java.time.temporal.ChronoUnit.HOURS).toString());
            pending.jobs().forEach(jobs.withArray("jobs")::add);
            Problem problem = new ProblemReader().read(snapshot().cluster(), jobs, null);
            assertThat(problem.jobs()).extracting(j -> j.id()).contains("slurm-" + id, "slurm-" + plain);
        } finally {
            slurm.run("scancel", id, plain);
        }
    }

    @Test
    void aRefusedTokenIsAClearErrorWithoutTheToken() {
        SlurmRest wrong = new SlurmRest(URI.create(slurm.url()), "root", () -> "not-a-token", Duration.ofSeconds(10));
        assertThatThrownBy(wrong::nodes).isInstanceOf(SlurmRest.SlurmException.class)
                .hasMessageContaining("slurmrestd nodes").hasMessageNotContaining("not-a-token");
    }

    private static SlurmSnapshot.Result snapshot() throws SlurmRest.SlurmException {
        return new SlurmSnapshot(MAPPING).map(rest.nodes(), rest.jobs(), Instant.now());
    }

    private static JsonNode node(ObjectNode cluster, String id) {
        for (JsonNode n : cluster.get("nodes")) {
            if (n.get("id").asText().equals(id)) {
                return n;
            }
        }
        throw new AssertionError("no node " + id);
    }
}
