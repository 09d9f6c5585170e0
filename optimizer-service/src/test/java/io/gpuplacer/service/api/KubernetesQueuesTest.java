package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * GET /v1/queues on a cluster watched through fabric8's mock API server: each queue's pending demand (the pods
 * waiting for a node, their GPUs, the oldest wait), also as Prometheus gauges.
 */
class KubernetesQueuesTest {

    @TempDir
    Path dir;
    KubernetesMockServer server;
    KubernetesClient admin;
    TestDatabase.Credentials db;

    @BeforeEach
    void cluster() throws Exception {
        server = KubernetesFixtures.server(new KubernetesCrudDispatcher());
        admin = server.createClient();
        db = TestDatabase.fresh();
        KubernetesFixtures.load(admin, java.util.Set.of()); // with nlp/pending: 8 GPUs, waiting (team nlp)
        io.fabric8.kubernetes.api.model.Node empty = Serialization.clone(admin.nodes().withName("gpu-h100-a").get());
        empty.getMetadata().setName("gpu-h100-c"); // an empty H100 node: room now
        empty.getMetadata().setResourceVersion(null);
        empty.getMetadata().setUid(null);
        admin.nodes().resource(empty).create();
        admin.pods().inNamespace("lab").resource(Serialization.unmarshal("""
                {"apiVersion": "v1", "kind": "Pod",
                 "metadata": {"name": "capped-0", "namespace": "lab", "labels": {"gpuplacer.io/queue": "capped"}},
                 "spec": {"containers": [{"name": "c", "image": "x",
                   "resources": {"requests": {"cpu": "1", "memory": "1Gi", "nvidia.com/gpu": "1"}}}]},
                 "status": {"phase": "Pending"}}""", Pod.class)).create();
        for (int i = 0; i < 2; i++) { // two pods of vision, the second a second later and of a MIG slice
            if (i == 1) {
                Thread.sleep(1100); // creation timestamps are in seconds
            }
            admin.pods().inNamespace("lab").resource(Serialization.unmarshal("""
                    {"apiVersion": "v1", "kind": "Pod",
                     "metadata": {"name": "wants-%d", "namespace": "lab",
                       "labels": {"gpuplacer.io/queue": "vision"}},
                     "spec": {"containers": [{"name": "c", "image": "x",
                       "resources": {"requests": {"cpu": "1", "memory": "1Gi", "%s": "%s"}}}]},
                     "status": {"phase": "Pending"}}""".formatted(i,
                    i == 0 ? "nvidia.com/gpu" : "nvidia.com/mig-3g.40gb", i == 0 ? "2" : "1"), Pod.class)).create();
        }
    }

    @AfterEach
    void stop() {
        admin.close();
        server.destroy();
        TestDatabase.drop(db);
    }

    @Test
    void eachQueueShowsItsWaitingPodsTheirGpusAndTheOldestWait() throws Exception {
        Path queues = dir.resolve("queues.json");
        Files.writeString(queues, """
                {"queues": [
                  {"id": "nlp", "cohort": "lab", "quotas": [{"flavor": "H100-80GB", "nominalGpus": 8}]},
                  {"id": "vision", "cohort": "lab", "quotas": [{"flavor": "H100-80GB", "nominalGpus": 8},
                                                              {"flavor": "A100-80GB", "nominalGpus": 2}]},
                  {"id": "idle", "cohort": "lab", "quotas": [{"flavor": "H100-80GB", "nominalGpus": 0}]},
                  {"id": "capped", "cohort": "lab", "quotas": [{"flavor": "H100-80GB", "nominalGpus": 0,
                                                              "borrowingLimitGpus": 0}]}]}""");
        Map<String, Object> props = KubernetesFixtures.properties(server, false);
        props.put("gpuplacer.kubernetes.queues-file", queues.toString());
        try (TestService service = new TestService(db, props)) {
            KubernetesFixtures.awaitNode(service, "gpu-h100-c");
            Map<String, JsonNode> byId = new HashMap<>();
            long end = System.currentTimeMillis() + 10_000;
            do {
                Thread.sleep(100);
                service.get("/v1/queues").json().get("queues").forEach(q -> byId.put(q.get("id").asText(), q));
            } while (byId.get("vision").get("pending").get("pods").asInt() < 2 && System.currentTimeMillis() < end);
            JsonNode vision = byId.get("vision").get("pending");
            assertThat(vision.get("pods").asInt()).isEqualTo(2);
            assertThat(vision.get("gpus").asDouble()).isCloseTo(2 + 3 / 7.0, within(1e-3));
            Instant first = Instant.parse(admin.pods().inNamespace("lab").withName("wants-0").get().getMetadata()
                    .getCreationTimestamp());
            assertThat(vision.get("oldestSince").asText()).isEqualTo(first.toString());
            assertThat(vision.get("oldestWaitHours").asDouble()).isCloseTo(
                    java.time.Duration.between(first, Instant.now()).toMillis() / 3_600_000.0, within(0.002));
            JsonNode nlp = byId.get("nlp").get("pending");
            assertThat(nlp.get("pods").asInt()).as("nlp/pending, by its team").isEqualTo(1);
            assertThat(nlp.get("gpus").asDouble()).isEqualTo(8);
            JsonNode idle = byId.get("idle").get("pending");
            assertThat(idle.get("pods").asInt()).isZero();
            assertThat(idle.get("oldestSince").isNull()).isTrue();

            String line = "gpuplacer_cluster_queue_pending_workloads{cluster_queue=\"vision\"} 2.0";
            String metrics = "";
            for (int i = 0; i < 40 && !metrics.contains(line); i++) { // the gauges follow every 5 s
                Thread.sleep(250);
                metrics = service.get("/prometheus").text();
            }
            assertThat(metrics).contains(line);

            // Why each waits: the oracle's answer for its job now.
            JsonNode vision2 = service.get("/v1/queues/vision/waiting").json();
            assertThat(vision2.get("waiting")).hasSize(2);
            JsonNode oldest = vision2.get("waiting").get(0);
            assertThat(oldest.get("pod").asText()).isEqualTo("lab/wants-0");
            assertThat(oldest.get("since").asText()).isEqualTo(first.toString());
            assertThat(oldest.get("why").asText()).startsWith("a place is free now: 1 task on [gpu-h100-c]");
            assertThat(vision2.get("waiting").get(1).get("why").asText()).startsWith("no node can take 1 task of MIG "
                    + "3g.40gb");
            JsonNode capped = service.get("/v1/queues/capped/waiting").json().get("waiting").get(0);
            assertThat(capped.get("why").asText()).startsWith("queue capped may use 0 H100-80GB GPUs");
            assertThat(service.get("/v1/queues/idle/waiting").json().get("waiting")).isEmpty();
            assertThat(service.get("/v1/queues/nobody/waiting").status()).isEqualTo(404);
            TestService.Reply bad = service.get("/v1/queues/vision/waiting?limit=0");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().get("field").asText()).isEqualTo("limit");
        }
    }

    /**
     * On a cluster with Kueue, its ClusterQueues are the queues (the queues file gives way), and a pod naming a
     * LocalQueue by Kueue's label is pending demand of that LocalQueue's ClusterQueue.
     */
    @Test
    void kueuesClusterQueuesAreTheQueuesWhereKueueRuns() throws Exception {
        admin.resources(io.x_k8s.kueue.v1beta2.ResourceFlavor.class).resource(Serialization.unmarshal("""
                {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ResourceFlavor", "metadata": {"name": "h100"},
                 "spec": {"nodeLabels": {"nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3"}}}""",
                io.x_k8s.kueue.v1beta2.ResourceFlavor.class)).create();
        admin.resources(io.x_k8s.kueue.v1beta2.ClusterQueue.class).resource(Serialization.unmarshal("""
                {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ClusterQueue", "metadata": {"name": "research-nlp"},
                 "spec": {"cohortName": "research", "resourceGroups": [{"coveredResources": ["nvidia.com/gpu"],
                   "flavors": [{"name": "h100", "resources": [{"name": "nvidia.com/gpu", "nominalQuota": 16}]}]}]}}""",
                io.x_k8s.kueue.v1beta2.ClusterQueue.class)).create();
        admin.resources(io.x_k8s.kueue.v1beta2.LocalQueue.class).inNamespace("lab").resource(Serialization.unmarshal("""
                {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "LocalQueue",
                 "metadata": {"name": "train", "namespace": "lab"}, "spec": {"clusterQueue": "research-nlp"}}""",
                io.x_k8s.kueue.v1beta2.LocalQueue.class)).create();
        admin.pods().inNamespace("lab").resource(Serialization.unmarshal("""
                {"apiVersion": "v1", "kind": "Pod",
                 "metadata": {"name": "queued-0", "namespace": "lab", "labels": {"kueue.x-k8s.io/queue-name": "train"}},
                 "spec": {"containers": [{"name": "c", "image": "x",
                   "resources": {"requests": {"cpu": "1", "memory": "1Gi", "nvidia.com/gpu": "4"}}}]},
                 "status": {"phase": "Pending"}}""", Pod.class)).create();
        Path queues = dir.resolve("queues.json");
        Files.writeString(queues, "{\"queues\": [{\"id\": \"legacy\", \"quotas\": [{\"flavor\": \"H100-80GB\", "
                + "\"nominalGpus\": 8}]}]}");
        Map<String, Object> props = KubernetesFixtures.properties(server, false);
        props.put("gpuplacer.kubernetes.queues-file", queues.toString());
        try (TestService service = new TestService(db, props)) {
            KubernetesFixtures.awaitNode(service, "gpu-h100-c");
            JsonNode report = null;
            long end = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < end) {
                report = service.get("/v1/queues").json().get("queues");
                if (report.size() == 1 && report.get(0).get("pending").get("pods").asInt() == 1) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(report).hasSize(1);
            JsonNode nlp = report.get(0);
            assertThat(nlp.get("id").asText()).isEqualTo("research-nlp");
            assertThat(nlp.get("cohort").asText()).isEqualTo("research");
            assertThat(nlp.get("flavors").get(0).get("nominalGpus").asDouble()).isEqualTo(16);
            assertThat(nlp.get("pending").get("pods").asInt()).as("lab/queued-0 by its LocalQueue").isEqualTo(1);
            assertThat(nlp.get("pending").get("gpus").asDouble()).isEqualTo(4);
        }
    }
}
