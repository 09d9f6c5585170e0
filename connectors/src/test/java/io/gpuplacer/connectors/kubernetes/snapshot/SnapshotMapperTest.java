package io.gpuplacer.connectors.kubernetes.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.MigCatalogue;
import io.gpuplacer.model.problem.Problem;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Nodes and pods in the API server's wire shape (test resources kubernetes/*.json) mapped to a snapshot. */
class SnapshotMapperTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final SnapshotSettings SETTINGS = SnapshotMapperTestSettings.SETTINGS;

    private static <T> T fixture(String name, Class<T> type) throws Exception {
        try (InputStream in = SnapshotMapperTest.class.getResourceAsStream("/kubernetes/" + name)) {
            return Serialization.unmarshal(in, type);
        }
    }

    private static SnapshotMapper.Result map() throws Exception {
        return new SnapshotMapper(SETTINGS, MigCatalogue.bundled()).map(fixture("nodes.json", NodeList.class)
                .getItems(), fixture("pods.json", PodList.class).getItems(), NOW);
    }

    private static JsonNode node(JsonNode cluster, String id) {
        for (JsonNode n : cluster.get("nodes")) {
            if (n.get("id").asText().equals(id)) {
                return n;
            }
        }
        throw new AssertionError("no node " + id);
    }

    private static JsonNode task(JsonNode cluster, String job, int task) {
        for (JsonNode t : cluster.get("running")) {
            if (t.get("job").asText().equals(job) && t.get("task").asInt() == task) {
                return t;
            }
        }
        throw new AssertionError("no task " + job + "/" + task + " in " + cluster.get("running"));
    }

    @Test
    void nodesTakeTheirGpusZoneCapacitySpotAndHealthFromTheirLabelsAndStatus() throws Exception {
        JsonNode cluster = map().cluster();
        assertThat(cluster.get("observedAt").asText()).isEqualTo("2026-12-01T10:00:00Z");
        // Zones in the order of their first node by name (cpu-1 is in us-east-1a).
        assertThat(cluster.get("zones").toString()).isEqualTo("[{\"id\":\"US-MIDA-PJM\",\"pue\":1.3},"
                + "{\"id\":\"DE-LU\",\"pue\":1.2}]");
        JsonNode h100 = node(cluster, "gpu-h100-a");
        assertThat(h100.get("gpuModel").asText()).isEqualTo("H100-80GB");
        assertThat(h100.get("gpuCount").asInt()).isEqualTo(8);
        assertThat(h100.get("cpuMillis").asLong()).isEqualTo(190_000);
        assertThat(h100.get("memoryMiB").asLong()).isEqualTo(1_966_080); // 2013265920Ki
        assertThat(h100.get("rack").asText()).isEqualTo("r1");
        assertThat(h100.get("block").asText()).isEqualTo("leaf-1");
        assertThat(h100.get("pool").asText()).isEqualTo("p5.48xlarge");
        assertThat(h100.get("costPerHour").asDouble()).isEqualTo(98.32);
        assertThat(h100.get("capacityType").asText()).isEqualTo("ON_DEMAND");
        assertThat(h100.get("healthy").asBoolean()).isTrue();
        assertThat(h100.get("schedulable").asBoolean()).isTrue();
        JsonNode spot = node(cluster, "gpu-h100-spot");
        assertThat(spot.get("capacityType").asText()).isEqualTo("SPOT");
        assertThat(spot.get("healthy").asBoolean()).isFalse();
        assertThat(spot.get("schedulable").asBoolean()).isFalse();
        assertThat(spot.get("memoryMiB").asLong()).isEqualTo(1920 * 1024);
        JsonNode mig = node(cluster, "gpu-a100-mig");
        assertThat(mig.get("migEnabled").asBoolean()).isTrue();
        assertThat(mig.get("gpuCount").asInt()).isEqualTo(2);
        assertThat(mig.get("capacityType").asText()).isEqualTo("SPOT"); // gke-spot
        assertThat(mig.get("alwaysOn").asBoolean()).isTrue(); // the "*" facts
        assertThat(node(cluster, "cpu-1").get("gpuCount").asInt()).isZero();
    }

    @Test
    void aPendingPodIsRecordedUnderTheJobItsRunningTaskWillName() throws Exception {
        // The ledger's arrivals name a pending pod's job as the snapshot will once it runs: for every running pod
        // of the fixture (PodGroups, job annotations, controllers, bare pods) the two agree.
        SnapshotMapper.Result result = map();
        Map<String, io.fabric8.kubernetes.api.model.Pod> byName = new java.util.HashMap<>();
        fixture("pods.json", PodList.class).getItems().forEach(p -> byName.put(p.getMetadata().getNamespace() + "/"
                + p.getMetadata().getName(), p));
        PendingPods pending = new PendingPods(SETTINGS);
        assertThat(result.pods()).isNotEmpty();
        // (A pod of a group asking for another shape than the group's first runs as a job of its own, the shape
        // appended: the one case the two differ, as the fixture's nlp/train-2 shows.)
        result.pods().forEach((key, pod) -> {
            String job = key.substring(0, key.lastIndexOf('#'));
            String running = pending.runningJobId(byName.get(pod));
            assertThat(job.equals(running) || job.startsWith(running + "/WHOLE:")).as(pod + " as " + key).isTrue();
        });
        assertThat(result.pods()).containsKey("nlp/train#0").containsValue("nlp/train-2");
        // Which is not always the pending job's own id: a replica outside a gang is placed as a job of its own,
        // and runs as a task of its controller's.
        io.fabric8.kubernetes.api.model.Pod replica = new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata().withNamespace("web").withName("serve-7d9f-abcde").addNewOwnerReference()
                .withKind("ReplicaSet").withName("serve-7d9f").withController(true).endOwnerReference().endMetadata()
                .build();
        assertThat(pending.jobId(replica)).isEqualTo("web/serve-7d9f-abcde");
        assertThat(pending.runningJobId(replica)).isEqualTo("web/serve-7d9f");
    }

    @Test
    void runningPodsBecomeTasksWithTheirRequestsSummedAndTheRestIsSkippedWithAReason() throws Exception {
        SnapshotMapper.Result result = map();
        JsonNode cluster = result.cluster();
        assertThat(cluster.get("running")).hasSize(6);
        JsonNode train0 = task(cluster, "nlp/train", 0);
        assertThat(train0.get("gpu").toString()).isEqualTo("{\"kind\":\"WHOLE\",\"count\":4}");
        assertThat(train0.get("gpus").toString()).isEqualTo("[0,1,2,3]");
        assertThat(train0.get("cpuMillis").asLong()).isEqualTo(16_500); // main and sidecar
        assertThat(train0.get("memoryMiB").asLong()).isEqualTo(64 * 1024 + 512);
        assertThat(train0.get("priority").asInt()).isEqualTo(1000);
        assertThat(train0.get("team").asText()).isEqualTo("nlp");
        assertThat(train0.get("remainingHours").asDouble()).isCloseTo(6, within(1e-9)); // 10 h from 06:00, at 10:00
        assertThat(train0.get("utilization").asDouble()).isEqualTo(0.9);
        assertThat(train0.get("migratable").asBoolean()).isTrue();
        assertThat(train0.get("topology").asText()).isEqualTo("NODE");
        JsonNode train1 = task(cluster, "nlp/train", 1);
        assertThat(train1.get("gpus").toString()).isEqualTo("[4,5,6,7]"); // from gpuplacer.io/gpus, taken first
        assertThat(train1.get("migratable").asBoolean()).isFalse(); // no controller
        // A pod of the group asking for another shape is a job of its own (tasks of a job share its demand).
        JsonNode train2 = task(cluster, "nlp/train/WHOLE:2", 0);
        assertThat(train2.get("gpus").toString()).isEqualTo("[0,1]");
        assertThat(train2.get("node").asText()).isEqualTo("gpu-h100-spot");
        JsonNode chat = task(cluster, "serving/chat-7d9f", 0);
        assertThat(chat.get("gpu").toString()).isEqualTo("{\"kind\":\"SHARED\",\"milli\":250}");
        assertThat(chat.get("gpus").toString()).isEqualTo("[2]"); // the lowest GPU train-2 does not hold
        assertThat(chat.get("team").asText()).isEqualTo("inference");
        assertThat(chat.get("remainingHours").asDouble()).isEqualTo(24);
        JsonNode infer = task(cluster, "serving/infer-mig", 0);
        assertThat(infer.get("gpu").toString()).isEqualTo("{\"kind\":\"MIG\",\"profile\":\"3g.40gb\"}");
        assertThat(infer.get("priority").asInt()).isEqualTo(1); // priority 0 becomes the lowest allowed
        assertThat(task(cluster, "data/etl", 0).get("gpu").get("kind").asText()).isEqualTo("NONE");
        assertThat(task(cluster, "data/etl", 0).get("cpuMillis").asLong()).isEqualTo(1500);
        assertThat(result.skipped()).extracting(SnapshotMapper.Skipped::name)
                .containsExactlyInAnyOrder("nowhere", "nlp/too-busy", "nlp/lost");
        assertThat(result.skipped()).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("nowhere");
            assertThat(s.reason()).contains("\"ap-south-1a\" is not mapped to a grid zone");
        }).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("nlp/too-busy");
            assertThat(s.reason()).contains("gpuplacer.io/utilization 1.7 is above 1");
        });
    }

    @Test
    void podsNameTheirQueueByLabelOrThroughTheirKueueLocalQueueAndTheSnapshotCarriesTheQueues() throws Exception {
        ObjectMapper json = new ObjectMapper();
        SnapshotSettings.Queues queues = new SnapshotSettings.Queues((com.fasterxml.jackson.databind.node.ArrayNode)
                json.readTree("[{\"id\": \"nlp\", \"cohort\": \"research\", \"quotas\": [{\"flavor\": "
                        + "\"H100-80GB\", \"nominalGpus\": 16}]}, {\"id\": \"online\", \"quotas\": [{\"flavor\": "
                        + "\"H100-80GB\", \"nominalGpus\": 2}]}]"),
                Map.of("serving/chat", "online"), java.util.Set.of("nlp", "online"));
        SnapshotSettings settings = new SnapshotSettings(SETTINGS.zones(), SETTINGS.rackLabel(), SETTINGS.blockLabel(),
                SETTINGS.facts(), SETTINGS.gpuModels(), SETTINGS.teamLabel(), SETTINGS.defaultHours(), queues);
        PodList pods = fixture("pods.json", PodList.class);
        for (var pod : pods.getItems()) {
            String name = pod.getMetadata().getName();
            Map<String, String> labels = new java.util.HashMap<>(pod.getMetadata().getLabels() == null ? Map.of()
                    : pod.getMetadata().getLabels());
            if (name.startsWith("train")) {
                labels.put(SnapshotSettings.QUEUE_LABEL, "nlp");
            } else if (name.startsWith("chat")) {
                labels.put(SnapshotSettings.KUEUE_QUEUE_LABEL, "chat"); // LocalQueue serving/chat -> online
            } else if (name.startsWith("etl")) {
                labels.put(SnapshotSettings.QUEUE_LABEL, "nobody"); // not a queue: left to its team
            }
            pod.getMetadata().setLabels(labels);
        }
        JsonNode cluster = new SnapshotMapper(settings, MigCatalogue.bundled()).map(fixture("nodes.json",
                NodeList.class).getItems(), pods.getItems(), NOW).cluster();
        assertThat(cluster.get("queues")).isEqualTo(queues.definitions());
        assertThat(task(cluster, "nlp/train", 0).get("queue").asText()).isEqualTo("nlp");
        assertThat(task(cluster, "serving/chat-7d9f", 0).get("queue").asText()).isEqualTo("online");
        assertThat(task(cluster, "data/etl", 0).has("queue")).isFalse();
        Problem problem = new ProblemReader().read(cluster, json.readTree("{\"now\": \"2026-12-01T10:00:00Z\", "
                + "\"jobs\": []}"), null);
        assertThat(problem.running()).filteredOn(r -> r.job().id().equals("nlp/train"))
                .allSatisfy(r -> assertThat(r.job().queue().id()).isEqualTo("nlp"));
        assertThat(problem.queues()).hasSize(2);
    }

    /**
     * What a running task's interruption costs comes from its pod's annotations (without them a preemption or a
     * move of it was priced at nothing), and its start from status.startTime; a bad annotation skips the pod.
     */
    @Test
    void runningTasksCarryTheirCheckpointRestartAndStart() throws Exception {
        PodList pods = fixture("pods.json", PodList.class);
        for (var pod : pods.getItems()) {
            Map<String, String> notes = new java.util.HashMap<>(pod.getMetadata().getAnnotations() == null ? Map.of()
                    : pod.getMetadata().getAnnotations());
            if (pod.getMetadata().getName().matches("train-[01]")) { // the gang's pods alike
                notes.put("gpuplacer.io/checkpoint-minutes", "30");
                notes.put("gpuplacer.io/restart-minutes", "4.5");
            } else if (pod.getMetadata().getName().equals("etl")) {
                notes.put("gpuplacer.io/restart-minutes", "-2");
            }
            pod.getMetadata().setAnnotations(notes);
        }
        SnapshotMapper.Result result = new SnapshotMapper(SETTINGS, MigCatalogue.bundled()).map(fixture("nodes.json",
                NodeList.class).getItems(), pods.getItems(), NOW);
        JsonNode train0 = task(result.cluster(), "nlp/train", 0);
        assertThat(train0.get("checkpointMinutes").asDouble()).isEqualTo(30);
        assertThat(train0.get("restartMinutes").asDouble()).isEqualTo(4.5);
        assertThat(train0.get("startedAt").asText()).isEqualTo("2026-12-01T06:00:00Z");
        JsonNode chat = task(result.cluster(), "serving/chat-7d9f", 0);
        assertThat(chat.get("checkpointMinutes").asDouble()).isZero(); // the documented default
        assertThat(result.skipped()).anySatisfy(sk -> {
            assertThat(sk.name()).isEqualTo("data/etl");
            assertThat(sk.reason()).contains("annotation gpuplacer.io/restart-minutes \"-2\" is not a number of at "
                    + "least 0");
        });
        Problem problem = new ProblemReader().read(result.cluster(), new ObjectMapper().readTree("{\"now\": "
                + "\"2026-12-01T10:00:00Z\", \"jobs\": []}"), null);
        assertThat(problem.running()).filteredOn(r -> r.job().id().equals("nlp/train") && r.task() == 0)
                .singleElement().satisfies(r -> assertThat(r.job().lossHoursPerInterruption())
                        .isCloseTo((15 + 4.5) / 60, within(1e-9)));
    }

    @Test
    void theSnapshotReadsAsAClusterDocument() throws Exception {
        JsonNode cluster = map().cluster();
        JsonNode jobs = new ObjectMapper().readTree("{\"now\": \"2026-12-01T10:00:00Z\", \"jobs\": []}");
        Problem problem = new ProblemReader().read(cluster, jobs, null);
        assertThat(problem.nodes()).hasSize(4);
        assertThat(problem.running()).hasSize(6);
        assertThat(problem.node("gpu-a100-mig").migEnabled()).isTrue();
    }
}
