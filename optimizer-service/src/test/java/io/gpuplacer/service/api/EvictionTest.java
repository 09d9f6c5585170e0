package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.gpuplacer.service.actions.ActionLog;
import io.gpuplacer.service.actions.ActionSchedule;
import io.gpuplacer.service.persistence.ClusterActionRecord;
import io.gpuplacer.service.replica.LeaderEpochs;
import io.gpuplacer.service.replica.ReplicaLocks;
import io.gpuplacer.service.security.Roles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Moves carried out through the Eviction API on fabric8's mock API server. CRUD mode does not enforce
 * PodDisruptionBudgets, so the dispatcher answers the eviction of pods named in {@code refuseOnce} 429 once (as the
 * API server does while a budget forbids it), and otherwise deletes the pod as an eviction would.
 */
class EvictionTest {

    /** CRUD, with evictions: 429 once for the pods listed, else the pod deleted. */
    static final class EvictingDispatcher extends KubernetesCrudDispatcher {
        final List<String> refuseOnce = new ArrayList<>();
        final AtomicInteger evictions = new AtomicInteger();

        @Override
        public MockResponse handleCreate(RecordedRequest request) {
            String path = request.getPath();
            if (path.endsWith("/eviction")) {
                evictions.incrementAndGet();
                String podPath = path.substring(0, path.length() - "/eviction".length());
                String name = podPath.substring(podPath.lastIndexOf('/') + 1);
                if (refuseOnce.remove(name)) {
                    return new MockResponse().setResponseCode(429).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                            + "\"status\":\"Failure\",\"message\":\"Cannot evict pod as it would violate the pod's "
                            + "disruption budget.\",\"reason\":\"TooManyRequests\",\"code\":429}");
                }
                handleDelete(podPath);
                try {
                    // As on a real cluster, the watchers may see the pod go before the evictor has its answer.
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new MockResponse().setResponseCode(201).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                        + "\"status\":\"Success\",\"code\":201}");
            }
            return super.handleCreate(request);
        }
    }

    EvictingDispatcher dispatcher = new EvictingDispatcher();
    KubernetesMockServer server;
    KubernetesClient admin;
    TestDatabase.Credentials db;

    @BeforeEach
    void cluster() throws Exception {
        server = KubernetesFixtures.server(dispatcher);
        admin = server.createClient();
        db = TestDatabase.fresh();
        KubernetesFixtures.load(admin, java.util.Set.of());
        Node h100 = admin.nodes().withName("gpu-h100-a").get();
        for (String copy : List.of("gpu-h100-c", "gpu-h100-d")) { // two empty copies: a target and a second source
            Node c = Serialization.clone(h100);
            c.getMetadata().setName(copy);
            c.getMetadata().setResourceVersion(null);
            c.getMetadata().setUid(null);
            admin.nodes().resource(c).create();
        }
        // A migratable pod of a ReplicaSet on the second source node.
        migratablePod("solo", "solo-x1", 1);
    }

    /** A running, migratable pod of the ReplicaSet {@code app} on gpu-h100-d, asking for that many GPUs. */
    private void migratablePod(String app, String name, int gpus) {
        admin.pods().inNamespace("nlp").resource(Serialization.unmarshal("""
                {"apiVersion": "v1", "kind": "Pod",
                 "metadata": {"name": "%s", "namespace": "nlp", "labels": {"app": "%s"},
                   "annotations": {"gpuplacer.io/migratable": "true", "gpuplacer.io/duration-hours": "8"},
                   "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "%s", "uid": "rs-%s",
                     "controller": true}]},
                 "spec": {"nodeName": "gpu-h100-d", "containers": [{"name": "c", "image": "x",
                   "resources": {"requests": {"cpu": "1", "memory": "1Gi", "nvidia.com/gpu": "%d"}}}]},
                 "status": {"phase": "Running", "startTime": "2026-12-01T06:00:00Z"}}""".formatted(name, app, app, app,
                gpus), Pod.class)).create();
    }

    @AfterEach
    void stop() {
        admin.close();
        server.destroy();
        TestDatabase.drop(db);
    }

    private TestService start(boolean apply) throws Exception {
        Map<String, Object> props = KubernetesFixtures.properties(server, false);
        props.put("gpuplacer.kubernetes.apply", apply);
        props.put("gpuplacer.kubernetes.gates.tick", "1h"); // the passes are run by the test
        props.put("gpuplacer.kubernetes.disruption.max-node-share", 0.0); // at least one node an hour
        props.put("gpuplacer.kubernetes.actions.ttl", "2h"); // the passes below span an hour
        TestService service = new TestService(db, props);
        KubernetesFixtures.awaitNode(service, "gpu-h100-d");
        return service;
    }

    /** A plan of these moves only, applied as the run's apply does. */
    private static void apply(ActionSchedule actions, JsonNode moves, String run) {
        com.fasterxml.jackson.databind.node.ObjectNode plan = com.fasterxml.jackson.databind.node.JsonNodeFactory
                .instance.objectNode();
        plan.set("moves", moves);
        actions.applyPlan(plan, run);
    }

    private static JsonNode moves() {
        return Recommendations.read("""
                [{"job": "nlp/train", "task": 0, "fromNode": "gpu-h100-a", "toNode": "gpu-h100-c"},
                 {"job": "nlp/solo", "task": 0, "fromNode": "gpu-h100-d", "toNode": "gpu-h100-c"},
                 {"job": "nlp/train", "task": 1, "fromNode": "gpu-h100-a", "toNode": "gpu-h100-c"}]""");
    }

    /** The newest EVICT action of each pod, over every page of the actions. */
    private static Map<String, JsonNode> evictions(TestService service) {
        Map<String, JsonNode> out = new HashMap<>();
        long before = Long.MAX_VALUE;
        while (true) {
            JsonNode page = service.get("/v1/actions?limit=1000&before=" + before).json();
            if (page.isEmpty()) {
                return out;
            }
            for (JsonNode a : page) {
                if (a.get("kind").asText().equals("EVICT")) {
                    out.putIfAbsent(a.get("target").asText(), a);
                }
                before = a.get("id").asLong();
            }
        }
    }

    @Test
    void movesAreEvictedWithinTheBudgetABudgetRefusalIsRetriedAndTheReplacementSteered() throws Exception {
        try (TestService service = start(true)) {
            ActionSchedule actions = service.context().getBean(ActionSchedule.class);
            dispatcher.refuseOnce.add("train-0");
            apply(actions, moves(), "run-1");
            Map<String, JsonNode> planned = evictions(service);
            assertThat(planned.get("nlp/train-0").get("status").asText()).isEqualTo("PLANNED");
            assertThat(planned.get("nlp/train-0").get("nodes").toString()).isEqualTo("[\"gpu-h100-a\",\"gpu-h100-c\"]");
            // train-1 is not migratable (no annotation, no controller): never evicted.
            assertThat(planned.get("nlp/train-1").get("status").asText()).isEqualTo("FAILED");
            assertThat(planned.get("nlp/train-1").get("reason").asText()).startsWith("not migratable");

            Instant now = Instant.now();
            actions.tick(now);
            Map<String, JsonNode> first = evictions(service);
            assertThat(first.get("nlp/train-0").get("status").asText()).as("429 from the PDB").isEqualTo("PLANNED");
            assertThat(first.get("nlp/train-0").get("reason").asText()).contains("PodDisruptionBudget");
            assertThat(first.get("nlp/solo-x1").get("status").asText()).as(first.get("nlp/solo-x1").toString()).isEqualTo("APPLIED");
            assertThat(admin.pods().inNamespace("nlp").withName("solo-x1").get()).as("evicted").isNull();

            // Many other actions since (gated pods released: ~500 an hour on a busy cluster) do not push the eviction
            // out of what the budget counts (it counted the newest 1,000 APPLIED actions of any kind).
            var repository = service.context().getBean(io.gpuplacer.service.persistence.ClusterActionRepository.class);
            Instant at = Instant.now();
            for (int i = 0; i < 1_100; i++) {
                repository.save(new ClusterActionRecord(null, at, at, "RELEASE", "nlp/gated-" + i, "nlp/g" + i,
                        "gpu-h100-c", at, "APPLIED", "pinned", 1, null, null, null, null, null, null));
            }
            actions.tick(now.plusSeconds(30)); // the PDB would allow it now, the disruption budget does not
            JsonNode held = evictions(service).get("nlp/train-0");
            assertThat(held.get("status").asText()).isEqualTo("PLANNED");
            assertThat(held.get("reason").asText()).startsWith("disruption budget: 1 of 1 GPU node(s)");
            assertThat(admin.pods().inNamespace("nlp").withName("train-0").get()).as("kept").isNotNull();

            actions.tick(now.plusSeconds(3660)); // an hour on, another node may be disrupted
            JsonNode done = evictions(service).get("nlp/train-0");
            assertThat(done.get("status").asText()).isEqualTo("APPLIED");
            assertThat(done.get("attempts").asInt()).isEqualTo(3);
            assertThat(dispatcher.evictions.get()).isEqualTo(3); // train-0 twice, solo-x1 once; never train-1

            // The replacement of solo-x1 (same ReplicaSet) is steered to the move's target by the extender.
            JsonNode replacement = Recommendations.read("""
                    {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "solo-x2", "namespace": "nlp",
                      "uid": "uid-x2", "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                      "name": "solo", "uid": "rs1", "controller": true}]},
                     "spec": {"containers": [{"name": "c", "image": "x",
                       "resources": {"requests": {"cpu": "1", "memory": "1Gi", "nvidia.com/gpu": "1"}}}]}}""");
            String args = "{\"Pod\": " + replacement + ", \"NodeNames\": [\"gpu-h100-a\", \"gpu-h100-c\", "
                    + "\"gpu-h100-d\"]}";
            JsonNode filtered = service.call("POST", "/v1/k8s/extender/filter", args,
                    service.tokenFor("kube-scheduler", Roles.SCHEDULER)).json();
            assertThat(filtered.get("NodeNames").toString()).isEqualTo("[\"gpu-h100-c\"]");
            assertThat(filtered.get("FailedNodes").get("gpu-h100-d").asText()).startsWith("steered to gpu-h100-c");

            List<String> audit = new ArrayList<>();
            service.get("/v1/audit?limit=20").json().forEach(e -> audit.add(e.get("action").asText() + " "
                    + e.get("target").asText() + " " + e.get("outcome").asInt()));
            assertThat(audit).contains("kubernetes EVICT nlp/solo-x1 to gpu-h100-d,gpu-h100-c 0");
        }
    }

    private void budget(int disruptionsAllowed) {
        PodDisruptionBudget pdb = Serialization.unmarshal("""
                {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                 "metadata": {"name": "solo-pdb", "namespace": "nlp"},
                 "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "solo"},
                   "matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}},
                 "status": {"currentHealthy": 1, "desiredHealthy": 1, "expectedPods": 1,
                   "disruptionsAllowed": %d}}""".formatted(disruptionsAllowed), PodDisruptionBudget.class);
        var resource = admin.policy().v1().podDisruptionBudget().inNamespace("nlp").resource(pdb);
        if (admin.policy().v1().podDisruptionBudget().inNamespace("nlp").withName("solo-pdb").get() == null) {
            resource.create();
        }
        resource.updateStatus();
    }

    @Test
    void aBudgetTheInformerSeesAllowingNoDisruptionHoldsTheEvictionWithoutAsking() throws Exception {
        budget(0);
        try (TestService service = start(true)) {
            ActionSchedule actions = service.context().getBean(ActionSchedule.class);
            apply(actions, Recommendations.read("[{\"job\": \"nlp/solo\", \"task\": 0, \"fromNode\": "
                    + "\"gpu-h100-d\", \"toNode\": \"gpu-h100-c\"}]"), "run-2");
            actions.tick(Instant.now());
            JsonNode held = evictions(service).get("nlp/solo-x1");
            assertThat(held.get("status").asText()).isEqualTo("PLANNED");
            assertThat(held.get("reason").asText()).startsWith("PodDisruptionBudget nlp/solo-pdb allows no disruption");
            assertThat(dispatcher.evictions.get()).as("not asked").isZero();

            budget(1);
            long deadline = System.currentTimeMillis() + 10_000;
            while (!evictions(service).get("nlp/solo-x1").get("status").asText().equals("APPLIED")) {
                assertThat(System.currentTimeMillis()).isLessThan(deadline);
                Thread.sleep(200); // the informer sees the new status a moment later
                actions.tick(Instant.now());
            }
            assertThat(dispatcher.evictions.get()).isEqualTo(1);
        }
    }

    /** What another replica does when it becomes the leader: takes the next epoch. */
    private void anotherReplicaLeads() throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(db.url(), db.user(), db.password());
             java.sql.Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("UPDATE leader_epoch SET epoch = epoch + 1, holder = 'other' WHERE id = 1"))
                    .isOne();
        }
    }

    @Test
    void aLeaderWhoseEpochWasTakenStepsDownAndEvictsNothing() throws Exception {
        try (TestService service = start(true)) {
            ActionSchedule actions = service.context().getBean(ActionSchedule.class);
            ReplicaLocks replicas = service.context().getBean(ReplicaLocks.class);
            apply(actions, moves(), "run-1");
            assertThat(replicas.isLeader()).isTrue();
            anotherReplicaLeads();

            assertThat(actions.tick(Instant.now())).as("the pass ran").isFalse();
            assertThat(replicas.isLeader()).isFalse();
            assertThat(dispatcher.evictions.get()).isZero();
            assertThat(evictions(service).get("nlp/solo-x1").get("status").asText()).isEqualTo("PLANNED");
            assertThat(admin.pods().inNamespace("nlp").withName("solo-x1").get()).isNotNull();
        }
    }

    /** The epoch taken between the leader's check and its write: the write is refused, the leader steps down. */
    @Test
    void aWriteUnderAnEpochNoLongerInForceIsRefused() throws Exception {
        try (TestService service = start(true)) {
            ActionSchedule actions = service.context().getBean(ActionSchedule.class);
            ReplicaLocks replicas = service.context().getBean(ReplicaLocks.class);
            ActionLog log = service.context().getBean(ActionLog.class);
            apply(actions, moves(), "run-1");
            ClusterActionRecord planned = log.planned().get(0);
            ReplicaLocks.Leadership lead = replicas.confirm();
            assertThat(lead).isNotNull();
            anotherReplicaLeads();

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> log.update(lead, planned, planned.nodes(),
                    ActionLog.Status.APPLIED, "stale")).isInstanceOf(LeaderEpochs.StaleLeaderException.class);
            assertThat(replicas.isLeader()).isFalse();
            assertThat(log.planned().get(0)).as("unchanged").isEqualTo(planned);
            assertThat(service.get("/v1/audit?limit=50").text()).doesNotContain("stale");
        }
    }

    /**
     * Two moves to one target with room for one of them: the pass checks them together, so the second waits (fails
     * without it: each was checked alone against the same view and both passed).
     */
    @Test
    void twoMovesOfOnePassToATargetWithRoomForOneAreNotBothCarriedOut() throws Exception {
        migratablePod("big", "big-x1", 5);
        try (TestService service = start(false)) {
            KubernetesFixtures.awaitNode(service, "gpu-h100-d");
            long end = System.currentTimeMillis() + 10_000;
            while (!service.get("/v1/cluster").text().contains("big-x1") && System.currentTimeMillis() < end) {
                Thread.sleep(100);
            }
            ActionSchedule actions = service.context().getBean(ActionSchedule.class);
            apply(actions, Recommendations.read("""
                    [{"job": "nlp/train", "task": 0, "fromNode": "gpu-h100-a", "toNode": "gpu-h100-c"},
                     {"job": "nlp/big", "task": 0, "fromNode": "gpu-h100-d", "toNode": "gpu-h100-c"}]"""), "run-2");
            Map<String, JsonNode> planned = evictions(service);
            assertThat(planned.get("nlp/big-x1").get("status").asText()).as(planned.toString()).isEqualTo("PLANNED");
            actions.tick(Instant.now());
            Map<String, JsonNode> after = evictions(service);
            assertThat(after.get("nlp/train-0").get("status").asText()).isEqualTo("DRY_RUN"); // 4 of c's 8 GPUs
            assertThat(after.get("nlp/big-x1").get("status").asText()).as("5 more do not fit").isEqualTo("PLANNED");
            assertThat(after.get("nlp/big-x1").get("reason").asText()).startsWith("no room on the target gpu-h100-c");
        }
    }

    /** Fails without the time to live: a move of a weeks-old plan was still carried out. */
    @Test
    void aPlannedMovePastItsTimeToLiveExpiresUnsent() throws Exception {
        try (TestService service = start(true)) {
            ActionSchedule actions = service.context().getBean(ActionSchedule.class);
            apply(actions, moves(), "run-1");
            actions.tick(Instant.now().plus(java.time.Duration.ofHours(3)));
            Map<String, JsonNode> after = evictions(service);
            for (String pod : List.of("nlp/train-0", "nlp/solo-x1")) {
                assertThat(after.get(pod).get("status").asText()).isEqualTo("SUPERSEDED");
                assertThat(after.get(pod).get("reason").asText()).startsWith("expired: planned at")
                        .contains("gpuplacer.kubernetes.actions.ttl");
            }
            assertThat(dispatcher.evictions.get()).isZero();
        }
    }

    @Test
    void withApplyOffNoPodIsEvicted() throws Exception {
        try (TestService service = start(false)) {
            ActionSchedule actions = service.context().getBean(ActionSchedule.class);
            apply(actions, moves(), "run-1");
            actions.tick(Instant.now());
            Map<String, JsonNode> after = evictions(service);
            assertThat(after.get("nlp/train-0").get("status").asText()).isEqualTo("DRY_RUN");
            assertThat(after.get("nlp/train-0").get("reason").asText()).contains("would evict it from gpu-h100-a");
            assertThat(after.get("nlp/solo-x1").get("status").asText()).isEqualTo("DRY_RUN");
            assertThat(dispatcher.evictions.get()).isZero();
            assertThat(admin.pods().inNamespace("nlp").withName("train-0").get()).isNotNull();
            assertThat(admin.pods().inNamespace("nlp").withName("solo-x1").get()).isNotNull();
        }
    }

    @Test
    void applyingARunNeedsAFinishedRunAndACluster() throws Exception {
        try (TestService service = start(true)) {
            assertThat(service.post("/v1/optimizations/no-such-run/apply", "").status()).isEqualTo(404);
        }
        try (TestService plain = new TestService(TestDatabase.fresh())) {
            String jobs = java.nio.file.Files.readString(java.nio.file.Path.of("../examples/jobs.json"));
            TestService.Reply run = plain.post("/v1/optimizations", "{\"jobs\": " + jobs + ", \"seconds\": 1}");
            assertThat(run.status()).as(run.text()).isEqualTo(202);
            String id = run.json().get("id").asText();
            TestService.Reply reply = plain.post("/v1/optimizations/" + id + "/apply", "");
            assertThat(reply.status()).isEqualTo(409);
            assertThat(reply.json().get("error").asText()).contains("gpuplacer.kubernetes.enabled");
        }
    }
}
