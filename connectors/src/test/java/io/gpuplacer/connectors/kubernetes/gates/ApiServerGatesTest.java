package io.gpuplacer.connectors.kubernetes.gates;

import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.gpuplacer.connectors.kubernetes.snapshot.GangSizes;
import io.gpuplacer.connectors.kubernetes.snapshot.PendingPods;
import io.gpuplacer.connectors.kubernetes.snapshot.SnapshotSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Gated pods read as jobs and released through fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class ApiServerGatesTest {

    KubernetesClient client;

    private static final SnapshotSettings SETTINGS = new SnapshotSettings(Map.of(), SnapshotSettings.RACK_LABEL,
            SnapshotSettings.BLOCK_LABEL, Map.of(), Map.of(), SnapshotSettings.TEAM_LABEL, 24);

    private static Pod pod(String name, String extraSpec) {
        return Serialization.unmarshal("""
                {"apiVersion": "v1", "kind": "Pod",
                 "metadata": {"name": "%s", "namespace": "nlp", "annotations": {"gpuplacer.io/duration-hours": "3"}},
                 "spec": {%s"schedulingGates": [{"name": "example.com/quota"}, {"name": "gpuplacer.io/placement"}],
                   "containers": [{"name": "c", "image": "x", "resources": {"requests": {"nvidia.com/gpu": "2"}}}]}}
                """.formatted(name, extraSpec), Pod.class);
    }

    private ApiServerGates gates() {
        return new ApiServerGates(client, () -> client.pods().inAnyNamespace().list().getItems(),
                new PendingPods(SETTINGS), GangSizes.NONE);
    }

    @Test
    void gatedPodsAreReadAsJobsAndOthersLeftOut() {
        client.pods().inNamespace("nlp").resource(pod("held", "")).create();
        Pod free = pod("free", "");
        free.getSpec().setSchedulingGates(List.of());
        client.pods().inNamespace("nlp").resource(free).create();
        List<GatedPods.GatedPod> gated = gates().gated();
        assertThat(gated).extracting(GatedPods.GatedPod::toString).containsExactly("nlp/held");
        assertThat(gated.get(0).job().get("gpu").toString()).isEqualTo("{\"kind\":\"WHOLE\",\"count\":2}");
        assertThat(gated.get(0).job().get("durationHours").asDouble()).isEqualTo(3.0);
    }

    @Test
    void aReleasePinsThePodToItsNodeAndRemovesOnlyOurGate() throws Exception {
        client.pods().inNamespace("nlp").resource(pod("held", "")).create();
        gates().release("nlp", "held", "gpu-a", List.of("gpu-a"));
        Pod after = client.pods().inNamespace("nlp").withName("held").get();
        assertThat(after.getSpec().getSchedulingGates()).extracting(g -> g.getName())
                .containsExactly("example.com/quota");
        NodeSelectorTerm term = after.getSpec().getAffinity().getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().get(0);
        assertThat(term.getMatchFields()).hasSize(1);
        assertThat(term.getMatchFields().get(0).getKey()).isEqualTo("metadata.name");
        assertThat(term.getMatchFields().get(0).getValues()).containsExactly("gpu-a");
        assertThat(after.getMetadata().getAnnotations()).doesNotContainKey(GatedPods.GANG_NODES);
        assertThat(gates().gated()).isEmpty();
    }

    @Test
    void aPodsOwnNodeAffinityIsNarrowedNotReplaced() throws Exception {
        client.pods().inNamespace("nlp").resource(pod("zoned", """
                "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                  {"matchExpressions": [{"key": "topology.kubernetes.io/zone", "operator": "In", "values": ["a"]}]},
                  {"matchExpressions": [{"key": "topology.kubernetes.io/zone", "operator": "In", "values": ["b"]}]}]}}},
                """)).create();
        gates().release("nlp", "zoned", "gpu-b", List.of("gpu-a", "gpu-b"));
        Pod after = client.pods().inNamespace("nlp").withName("zoned").get();
        List<NodeSelectorTerm> terms = after.getSpec().getAffinity().getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
        assertThat(terms).hasSize(2);
        for (NodeSelectorTerm t : terms) {
            assertThat(t.getMatchExpressions()).hasSize(1); // kept
            assertThat(t.getMatchFields().get(0).getValues()).containsExactly("gpu-b"); // and narrowed to the node
        }
        assertThat(after.getMetadata().getAnnotations()).containsEntry(GatedPods.GANG_NODES, "gpu-a,gpu-b");
    }

    @Test
    void releasingAPodThatIsGoneIsAnError() {
        assertThatThrownBy(() -> gates().release("nlp", "gone", "gpu-a", List.of("gpu-a")))
                .isInstanceOf(GatedPods.ReleaseException.class).hasMessageContaining("nlp/gone");
    }
}
