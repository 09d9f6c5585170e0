package io.gpuplacer.connectors.kubernetes.kueue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.gpuplacer.connectors.kubernetes.snapshot.PendingPods;
import io.gpuplacer.connectors.kubernetes.snapshot.SnapshotMapperTestSettings;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Job;
import io.x_k8s.kueue.v1beta2.Workload;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Kueue Workloads (v1beta2, in Kueue's shapes) as pending jobs of the contract. */
class KueueWorkloadsTest {

    private static List<Workload> workloads() throws Exception {
        try (InputStream in = KueueWorkloadsTest.class.getResourceAsStream("/kueue/examples/workloads.yaml")) {
            List<Workload> out = new ArrayList<>();
            for (String doc : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("(?m)^---\\s*$")) {
                out.add(Serialization.unmarshal(doc, Workload.class));
            }
            return out;
        }
    }

    private static final KueueWorkloads READER = new KueueWorkloads(new PendingPods(SnapshotMapperTestSettings.SETTINGS));

    @Test
    void theGpuPodSetIsTheGangWithKueuesPriorityItsQueueAndTheWorkloadsWindow() throws Exception {
        KueueWorkloads.Read read = READER.jobs(workloads(), Map.of("team-nlp/train", "nlp"));
        assertThat(read.jobs()).hasSize(1);
        ObjectNode job = read.jobs().get(0);
        assertThat(job.get("id").asText()).isEqualTo("team-nlp/job-train-42-3f9a1");
        assertThat(job.get("tasks").asInt()).isEqualTo(4); // the workers; the launcher holds no GPU
        assertThat(job.get("gpu").toString()).isEqualTo("{\"kind\":\"WHOLE\",\"count\":8}");
        assertThat(job.get("priority").asInt()).isEqualTo(100);
        assertThat(job.get("queue").asText()).isEqualTo("nlp");
        assertThat(job.get("checkpointMinutes").asDouble()).isEqualTo(30); // from the pod template
        assertThat(job.get("durationHours").asDouble()).as("the Workload's annotation wins").isEqualTo(6);
        assertThat(job.get("deadline").asText()).isEqualTo("2026-12-02T06:00:00Z");
        Job read2 = new ProblemReader().readJob(job, "job", Set.of(), Instant.parse("2026-12-01T10:00:00Z"),
                List.of(new io.gpuplacer.model.problem.Queue(0, "nlp", null, 1, Map.of(),
                        io.gpuplacer.model.problem.PreemptionPolicy.NEVER)));
        assertThat(read2.tasks()).isEqualTo(4);
        assertThat(read2.queue().id()).isEqualTo("nlp");
        assertThat(read.unread()).containsExactly("team-nlp/mixed: pod sets big and small ask for GPUs of different "
                + "shapes (WHOLE:8, WHOLE:1): one job has one");
    }

    @Test
    void aLocalQueueOfNoKnownClusterQueueLeavesTheJobInNoQueue() throws Exception {
        ObjectNode job = READER.job(workloads().get(0), Map.of());
        assertThat(job.has("queue")).isFalse();
    }

    /** Kueue's topology-aware scheduling: the level the GPU pod set requires is the gang's topology where it is known. */
    @Test
    void theRequiredTopologyLevelIsTheGangsTopology() throws Exception {
        Workload w = workloads().get(0);
        var workers = w.getSpec().getPodSets().get(1);
        assertThat(READER.job(w, Map.of()).get("topology").asText()).as("no request: the template's").isEqualTo("ANY");
        Map<String, String> levels = Map.of("kubernetes.io/hostname", "NODE", "topology.gpuplacer.io/rack", "RACK",
                "topology.gpuplacer.io/block", "BLOCK", "cloud.provider.com/topology-block", "ANY");
        for (Map.Entry<String, String> level : levels.entrySet()) {
            workers.setTopologyRequest(new io.x_k8s.kueue.v1beta2.workloadspec.podsets.TopologyRequest());
            workers.getTopologyRequest().setRequired(level.getKey());
            assertThat(READER.job(w, Map.of()).get("topology").asText()).as(level.getKey()).isEqualTo(level.getValue());
        }
    }
}
