package io.gpuplacer.connectors.kubernetes.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.gpuplacer.model.problem.MigCatalogue;
import io.x_k8s.kueue.v1beta2.ClusterQueue;
import io.x_k8s.kueue.v1beta2.LocalQueue;
import io.x_k8s.kueue.v1beta2.ResourceFlavor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watcher on a cluster with Kueue (fabric8's mock API server in CRUD mode, Kueue's objects created through the
 * generated classes) and on one without it (the server answers 404 for Kueue's API, as an API server without its
 * CRDs does): Kueue's queues win over the configured ones once there is a ClusterQueue; without Kueue the
 * configured ones stay.
 */
class KueueWatchTest {

    private static final SnapshotSettings.Queues CONFIGURED = new SnapshotSettings.Queues(
            (com.fasterxml.jackson.databind.node.ArrayNode) Serialization.unmarshal("[{\"id\": \"legacy\", \"quotas\": "
                    + "[{\"flavor\": \"H100-80GB\", \"nominalGpus\": 4}]}]", JsonNode.class), Map.of(),
            Set.of("legacy"));


    KubernetesMockServer server;
    KubernetesClient client;

    private void start(boolean withoutKueue) throws Exception {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new io.gpuplacer.connectors.kubernetes.kueue.KueueApiServers(withoutKueue
                ? io.gpuplacer.connectors.kubernetes.kueue.KueueApiServers.ALL : null), false);
        server.init();
        client = server.createClient();
        try (InputStream nodes = getClass().getResourceAsStream("/kubernetes/nodes.json");
             InputStream pods = getClass().getResourceAsStream("/kubernetes/pods.json")) {
            Serialization.unmarshal(nodes, NodeList.class).getItems().forEach(n -> client.nodes().resource(n).create());
            for (Pod pod : Serialization.unmarshal(pods, PodList.class).getItems()) {
                client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
            }
        }
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    private static SnapshotMapper mapper() {
        return new SnapshotMapper(SnapshotMapperTestSettings.SETTINGS, MigCatalogue.bundled(), new LiveQueues(CONFIGURED));
    }

    @Test
    void kueuesClusterQueuesReplaceTheConfiguredQueuesOnceThereIsOne() throws Exception {
        start(false);
        client.resources(ResourceFlavor.class).resource(Serialization.unmarshal("""
                {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ResourceFlavor", "metadata": {"name": "h100"},
                 "spec": {"nodeLabels": {"nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3"}}}""",
                ResourceFlavor.class)).create();
        client.resources(LocalQueue.class).inNamespace("nlp").resource(Serialization.unmarshal("""
                {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "LocalQueue",
                 "metadata": {"name": "train", "namespace": "nlp"}, "spec": {"clusterQueue": "nlp-cq"}}""",
                LocalQueue.class)).create();
        BlockingQueue<SnapshotMapper.Result> snapshots = new LinkedBlockingQueue<>();
        SnapshotMapper mapper = mapper();
        try (ClusterWatcher watcher = new ClusterWatcher(client, mapper, Clock.systemUTC(), Duration.ofMillis(200),
                snapshots::add)) {
            watcher.start(Duration.ofSeconds(20));
            assertThat(watcher.watchesKueue()).isTrue();
            SnapshotMapper.Result first = snapshots.poll(10, TimeUnit.SECONDS);
            assertThat(first.cluster().get("queues").get(0).get("id").asText()).as("no ClusterQueue yet")
                    .isEqualTo("legacy");

            client.resources(ClusterQueue.class).resource(Serialization.unmarshal("""
                    {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ClusterQueue", "metadata": {"name": "nlp-cq"},
                     "spec": {"cohortName": "research", "resourceGroups": [{"coveredResources": ["nvidia.com/gpu"],
                       "flavors": [{"name": "h100", "resources": [{"name": "nvidia.com/gpu", "nominalQuota": 12}]}]}]}}""",
                    ClusterQueue.class)).create();
            JsonNode queues = null;
            for (SnapshotMapper.Result next; (next = snapshots.poll(10, TimeUnit.SECONDS)) != null; ) {
                queues = next.cluster().get("queues");
                if (queues != null && queues.get(0).get("id").asText().equals("nlp-cq")) {
                    break;
                }
            }
            assertThat(queues).hasSize(1);
            assertThat(queues.get(0).get("cohort").asText()).isEqualTo("research");
            assertThat(queues.get(0).get("quotas").toString()).isEqualTo("[{\"flavor\":\"H100-80GB\",\"nominalGpus\":12.0}]");
            assertThat(mapper.queues().isKueue()).isTrue();
            // A pod naming LocalQueue nlp/train is in nlp-cq.
            assertThat(mapper.queues().current().localQueues()).containsEntry("nlp/train", "nlp-cq");
        }
    }

    @Test
    void withoutKueueTheConfiguredQueuesStay() throws Exception {
        start(true);
        BlockingQueue<SnapshotMapper.Result> snapshots = new LinkedBlockingQueue<>();
        SnapshotMapper mapper = mapper();
        try (ClusterWatcher watcher = new ClusterWatcher(client, mapper, Clock.systemUTC(), Duration.ofMillis(200),
                snapshots::add)) {
            watcher.start(Duration.ofSeconds(20));
            assertThat(watcher.watchesKueue()).isFalse();
            SnapshotMapper.Result first = snapshots.poll(10, TimeUnit.SECONDS);
            assertThat(first.cluster().get("queues").get(0).get("id").asText()).isEqualTo("legacy");
            assertThat(mapper.queues().isKueue()).isFalse();
        }
    }

    /** A ClusterQueue the contract cannot take (a quota past its bound) leaves the configured queues in force, said. */
    @Test
    void aClusterQueueTheContractRefusesLeavesTheConfiguredQueuesAndIsNamed() throws Exception {
        start(false);
        client.resources(ResourceFlavor.class).resource(Serialization.unmarshal("""
                {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ResourceFlavor", "metadata": {"name": "h100"},
                 "spec": {"nodeLabels": {"nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3"}}}""",
                ResourceFlavor.class)).create();
        client.resources(ClusterQueue.class).resource(Serialization.unmarshal("""
                {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ClusterQueue", "metadata": {"name": "huge"},
                 "spec": {"resourceGroups": [{"coveredResources": ["nvidia.com/gpu"], "flavors": [{"name": "h100",
                   "resources": [{"name": "nvidia.com/gpu", "nominalQuota": "1e12"}]}]}]}}""",
                ClusterQueue.class)).create();
        BlockingQueue<SnapshotMapper.Result> snapshots = new LinkedBlockingQueue<>();
        SnapshotMapper mapper = mapper();
        try (ClusterWatcher watcher = new ClusterWatcher(client, mapper, Clock.systemUTC(), Duration.ofMillis(200),
                snapshots::add)) {
            watcher.start(Duration.ofSeconds(20));
            SnapshotMapper.Result first = snapshots.poll(10, TimeUnit.SECONDS);
            assertThat(first.cluster().get("queues").get(0).get("id").asText()).isEqualTo("legacy");
            assertThat(first.skipped()).anySatisfy(sk -> {
                assertThat(sk.kind()).isEqualTo("Kueue");
                assertThat(sk.reason()).contains("Kueue's ClusterQueues", "nominalGpus",
                        "the configured queues stay in force");
            });
        }
    }
}
