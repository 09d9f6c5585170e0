package io.gpuplacer.connectors.kubernetes.snapshot;

import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.gpuplacer.model.problem.MigCatalogue;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The watcher against fabric8's mock API server in CRUD mode, with the wire fixtures of SnapshotMapperTest. */
@EnableKubernetesMockClient(crud = true)
class ClusterWatcherTest {

    KubernetesClient client;

    private static <T> T fixture(String name, Class<T> type) throws Exception {
        try (InputStream in = ClusterWatcherTest.class.getResourceAsStream("/kubernetes/" + name)) {
            return Serialization.unmarshal(in, type);
        }
    }

    @Test
    void theFirstSnapshotFollowsTheSyncAndChangesToNodesAndPodsAreInTheNext() throws Exception {
        fixture("nodes.json", NodeList.class).getItems().forEach(n -> client.nodes().resource(n).create());
        for (Pod pod : fixture("pods.json", PodList.class).getItems()) {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
        }
        BlockingQueue<SnapshotMapper.Result> snapshots = new LinkedBlockingQueue<>();
        SnapshotMapper mapper = new SnapshotMapper(SnapshotMapperTestSettings.SETTINGS, MigCatalogue.bundled());
        try (ClusterWatcher watcher = new ClusterWatcher(client, mapper, Clock.systemUTC(), Duration.ofMillis(300),
                snapshots::add)) {
            watcher.start(Duration.ofSeconds(20));
            SnapshotMapper.Result first = snapshots.poll(10, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(first.cluster().get("nodes")).hasSize(4);
            assertThat(first.cluster().get("running")).hasSize(6);
            // Cordon a node and delete a pod: the snapshots that follow (debounced) have both.
            client.nodes().withName("gpu-h100-a").edit(n -> {
                n.getSpec().setUnschedulable(true);
                return n;
            });
            client.pods().inNamespace("data").withName("etl").delete();
            SnapshotMapper.Result next = snapshots.poll(10, TimeUnit.SECONDS);
            assertThat(next).isNotNull();
            SnapshotMapper.Result settled = next;
            for (SnapshotMapper.Result more; (more = snapshots.poll(1, TimeUnit.SECONDS)) != null; ) {
                settled = more; // the mock server may deliver the two events a debounce apart
            }
            assertThat(settled.cluster().get("running")).hasSize(5);
            boolean cordoned = false;
            for (var n : settled.cluster().get("nodes")) {
                if (n.get("id").asText().equals("gpu-h100-a")) {
                    cordoned = !n.get("schedulable").asBoolean();
                }
            }
            assertThat(cordoned).isTrue();
        }
    }
}
