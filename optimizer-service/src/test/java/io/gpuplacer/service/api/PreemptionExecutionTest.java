package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.gpuplacer.service.actions.ActionSchedule;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A run's preemptions carried out through the Eviction API on fabric8's mock API server (the dispatcher of
 * {@link EvictionTest}): the team queues come from {@code gpuplacer.kubernetes.queues-file}; the pods of namespace
 * nlp are in queue nlp (their team), which borrows all it runs on H100 unless the file gives it a quota.
 */
class PreemptionExecutionTest {

    @TempDir
    Path dir;
    EvictionTest.EvictingDispatcher dispatcher = new EvictionTest.EvictingDispatcher();
    KubernetesMockServer server;
    KubernetesClient admin;
    TestDatabase.Credentials db;

    @BeforeEach
    void cluster() throws Exception {
        server = KubernetesFixtures.server(dispatcher);
        admin = server.createClient();
        db = TestDatabase.fresh();
        KubernetesFixtures.load(admin, java.util.Set.of());
        // A running pod of a ReplicaSet of nlp on gpu-h100-a: the victim (job nlp/solo).
        admin.pods().inNamespace("nlp").resource(Serialization.unmarshal("""
                {"apiVersion": "v1", "kind": "Pod",
                 "metadata": {"name": "solo-x1", "namespace": "nlp", "labels": {"app": "solo"},
                   "annotations": {"gpuplacer.io/checkpoint-minutes": "30", "gpuplacer.io/restart-minutes": "3"},
                   "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "solo", "uid": "rs-1",
                     "controller": true}]},
                 "spec": {"nodeName": "gpu-h100-a", "containers": [{"name": "c", "image": "x",
                   "resources": {"requests": {"cpu": "1", "memory": "1Gi", "nvidia.com/gpu": "1"}}}]},
                 "status": {"phase": "Running", "startTime": "2026-12-01T06:00:00Z"}}""", Pod.class)).create();
        // A gang of two (job nlp/pair) over two nodes.
        String[] nodes = {"gpu-h100-a", "gpu-h100-spot"};
        for (int i = 0; i < 2; i++) {
            admin.pods().inNamespace("nlp").resource(Serialization.unmarshal("""
                    {"apiVersion": "v1", "kind": "Pod",
                     "metadata": {"name": "pair-%d", "namespace": "nlp",
                       "labels": {"scheduling.x-k8s.io/pod-group": "pair"}},
                     "spec": {"nodeName": "%s", "containers": [{"name": "c", "image": "x",
                       "resources": {"requests": {"cpu": "1", "memory": "1Gi", "nvidia.com/gpu": "1"}}}]},
                     "status": {"phase": "Running", "startTime": "2026-12-01T06:00:00Z"}}""".formatted(i, nodes[i]),
                    Pod.class)).create();
        }
    }

    @AfterEach
    void stop() {
        admin.close();
        server.destroy();
        TestDatabase.drop(db);
    }

    /** Queues nlp and vision in cohort lab; nlp with that nominal quota of H100 GPUs. */
    private TestService start(boolean apply, int nlpNominal) throws Exception {
        Path queues = dir.resolve("queues.json");
        Files.writeString(queues, """
                {"queues": [
                  {"id": "nlp", "cohort": "lab", "quotas": [{"flavor": "H100-80GB", "nominalGpus": %d}]},
                  {"id": "vision", "cohort": "lab", "quotas": [{"flavor": "H100-80GB", "nominalGpus": 16}],
                   "preemption": {"reclaimWithinCohort": "Any"}}]}""".formatted(nlpNominal));
        Map<String, Object> props = KubernetesFixtures.properties(server, false);
        props.put("gpuplacer.kubernetes.apply", apply);
        props.put("gpuplacer.kubernetes.queues-file", queues.toString());
        props.put("gpuplacer.kubernetes.gates.tick", "1h"); // the passes are run by the test
        props.put("gpuplacer.kubernetes.disruption.max-node-share", 0.0); // one GPU node an hour
        TestService service = new TestService(db, props);
        KubernetesFixtures.awaitNode(service, "gpu-h100-a");
        long end = System.currentTimeMillis() + 10_000;
        while (!service.get("/v1/cluster").text().contains("nlp/solo")
                || !service.get("/v1/cluster").text().contains("nlp/pair")) {
            assertThat(System.currentTimeMillis()).as("the victim in the cluster state").isLessThan(end);
            Thread.sleep(100);
        }
        return service;
    }

    private static JsonNode plan(String preemptions) {
        return Recommendations.read("{\"moves\": [], \"preemptions\": " + preemptions + "}");
    }

    private static final String RECLAIM = """
            [{"job": "nlp/solo", "task": 0, "node": "gpu-h100-a", "for": "vision/wants", "reason":
              "InCohortReclamation"}]""";

    /** The newest PREEMPT action of each pod. */
    private static Map<String, JsonNode> preemptions(TestService service) {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode a : service.get("/v1/actions?limit=1000").json()) {
            if (a.get("kind").asText().equals("PREEMPT")) {
                out.putIfAbsent(a.get("target").asText(), a);
            }
        }
        return out;
    }

    private static double counted(TestService service, String queue, String reason) {
        Counter c = service.context().getBean(MeterRegistry.class).find("gpuplacer.preemptions")
                .tags("queue", queue, "reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aReclaimFromABorrowingQueueIsEvictedRecordedAuditedAndCounted() throws Exception {
        try (TestService service = start(true, 0)) {
            ActionSchedule actions = service.context().getBean(ActionSchedule.class);
            actions.applyPlan(plan(RECLAIM), "run-1");
            JsonNode planned = preemptions(service).get("nlp/solo-x1");
            assertThat(planned.get("status").asText()).as(planned.toString()).isEqualTo("PLANNED");
            assertThat(planned.get("forJob").asText()).isEqualTo("vision/wants");
            assertThat(planned.get("preemptionReason").asText()).isEqualTo("InCohortReclamation");
            assertThat(planned.get("reason").asText()).isEqualTo("preemption of run run-1: on gpu-h100-a, for "
                    + "vision/wants (InCohortReclamation)");

            actions.tick(Instant.now());
            JsonNode done = preemptions(service).get("nlp/solo-x1");
            assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("APPLIED");
            assertThat(done.get("reason").asText()).startsWith("evicted from gpu-h100-a for vision/wants");
            assertThat(admin.pods().inNamespace("nlp").withName("solo-x1").get()).as("evicted").isNull();
            assertThat(dispatcher.evictions.get()).isEqualTo(1);
            assertThat(counted(service, "nlp", "InCohortReclamation")).isEqualTo(1.0);
            // What the queue report sums: the victim's queue, and half a checkpoint plus the restart x 1 GPU.
            var recorded = service.context().getBean(io.gpuplacer.service.persistence.ClusterActionRepository.class)
                    .findPage(Long.MAX_VALUE, 10).stream().filter(a -> a.kind().equals("PREEMPT")).findFirst()
                    .orElseThrow();
            assertThat(recorded.victimQueue()).isEqualTo("nlp");
            assertThat(recorded.lostGpuHours()).isCloseTo((15 + 3) / 60.0, within(1e-9));
            List<String> audit = new ArrayList<>();
            service.get("/v1/audit?limit=20").json().forEach(e -> audit.add(e.get("action").asText() + " "
                    + e.get("target").asText() + " " + e.get("outcome").asInt()));
            assertThat(audit).contains("kubernetes PREEMPT nlp/solo-x1 to gpu-h100-a 0");
        }
    }

    /** Fails without the check at the tick: a queue that no longer borrows was reclaimed below its guarantee. */
    @Test
    void aQueueThatNoLongerBorrowsIsNotReclaimedFrom() throws Exception {
        try (TestService service = start(true, 64)) {
            ActionSchedule actions = service.context().getBean(ActionSchedule.class);
            actions.applyPlan(plan(RECLAIM), "run-1");
            actions.tick(Instant.now());
            JsonNode after = preemptions(service).get("nlp/solo-x1");
            assertThat(after.get("status").asText()).isEqualTo("SUPERSEDED");
            assertThat(after.get("reason").asText()).isEqualTo("InCohortReclamation no longer holds: queue nlp uses "
                    + "9 of its 64 H100-80GB GPUs now and borrows none; a queue is never reclaimed below its "
                    + "guarantee");
            assertThat(dispatcher.evictions.get()).isZero();
            assertThat(admin.pods().inNamespace("nlp").withName("solo-x1").get()).isNotNull();
            assertThat(counted(service, "nlp", "InCohortReclamation")).isZero();
        }
    }

    @Test
    void aPreemptionForAJobThatRunsAlreadyIsSuperseded() throws Exception {
        try (TestService service = start(true, 0)) {
            ActionSchedule actions = service.context().getBean(ActionSchedule.class);
            actions.applyPlan(plan(RECLAIM.replace("vision/wants", "serving/chat-7d9f")), "run-1");
            actions.tick(Instant.now());
            JsonNode after = preemptions(service).get("nlp/solo-x1");
            assertThat(after.get("status").asText()).isEqualTo("SUPERSEDED");
            assertThat(after.get("reason").asText()).isEqualTo("the job it was for, serving/chat-7d9f, runs already");
            assertThat(dispatcher.evictions.get()).isZero();
        }
    }

    /**
     * The gang nlp/pair spans gpu-h100-a and gpu-h100-spot; the budget allows one node this hour: no task of it is
     * evicted (fails if the gang's tasks were tried one by one: pair-0 would go, pair-1 stay).
     */
    @Test
    void aGangIsPreemptedWholeOrNotAtAll() throws Exception {
        try (TestService service = start(true, 0)) {
            ActionSchedule actions = service.context().getBean(ActionSchedule.class);
            actions.applyPlan(plan("""
                    [{"job": "nlp/pair", "task": 0, "node": "gpu-h100-a", "for": "vision/big",
                      "reason": "InCohortReclamation"},
                     {"job": "nlp/pair", "task": 1, "node": "gpu-h100-spot", "for": "vision/big",
                      "reason": "InCohortReclamation"}]"""), "run-1");
            actions.tick(Instant.now());
            Map<String, JsonNode> after = preemptions(service);
            for (String pod : List.of("nlp/pair-0", "nlp/pair-1")) {
                assertThat(after.get(pod).get("status").asText()).as(pod).isEqualTo("PLANNED");
                assertThat(after.get(pod).get("reason").asText()).startsWith("disruption budget: 0 of 1 GPU node(s)");
            }
            assertThat(dispatcher.evictions.get()).isZero();
        }
    }

    @Test
    void withApplyOffAPreemptionIsADryRunAndPlansThatCannotBeFail() throws Exception {
        try (TestService service = start(false, 0)) {
            ActionSchedule actions = service.context().getBean(ActionSchedule.class);
            actions.applyPlan(plan("""
                    [{"job": "nlp/solo", "task": 0, "node": "gpu-h100-a", "for": "vision/wants",
                      "reason": "InCohortReclamation"},
                     {"job": "nlp/none", "task": 0, "node": "gpu-h100-a", "for": "vision/wants",
                      "reason": "InCohortReclamation"},
                     {"job": "serving/infer-mig", "task": 0, "node": "gpu-a100-mig", "for": "vision/wants",
                      "reason": "InCohortReclamation"},
                     {"job": "nlp/pair", "task": 1, "node": "gpu-h100-spot", "for": "vision/wants",
                      "reason": "Because"}]"""), "run-1");
            actions.tick(Instant.now());
            Map<String, JsonNode> after = preemptions(service);
            assertThat(after.get("nlp/solo-x1").get("status").asText()).isEqualTo("DRY_RUN");
            assertThat(after.get("nlp/solo-x1").get("reason").asText()).isEqualTo("dry-run (gpuplacer.kubernetes."
                    + "apply is off): would evict it from gpu-h100-a for vision/wants (InCohortReclamation)");
            assertThat(after.get("nlp/none#0").get("reason").asText()).isEqualTo("no pod of the cluster runs nlp/none "
                    + "task 0");
            assertThat(after.get("serving/infer-mig").get("status").asText()).isEqualTo("FAILED");
            assertThat(after.get("serving/infer-mig").get("reason").asText()).isEqualTo("serving/infer-mig task 0 is "
                    + "in no queue: only queued work is preempted");
            assertThat(after.get("nlp/pair-1").get("reason").asText()).startsWith("reason \"Because\" is not one of");
            assertThat(dispatcher.evictions.get()).isZero();
            assertThat(admin.pods().inNamespace("nlp").withName("solo-x1").get()).isNotNull();
        }
    }
}
