package io.gpuplacer.connectors.kubernetes.kueue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.x_k8s.kueue.v1beta2.ClusterQueue;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Kueue's objects of either served version read as the v1beta2 model classes. */
class KueueApiTest {

    @Test
    void aV1beta1ClusterQueuesCohortIsV1beta2sCohortName() {
        GenericKubernetesResource v1beta1 = Serialization.unmarshal("""
                {"apiVersion": "kueue.x-k8s.io/v1beta1", "kind": "ClusterQueue", "metadata": {"name": "team-a-cq"},
                 "spec": {"cohort": "team-ab", "resourceGroups": [{"coveredResources": ["nvidia.com/gpu"],
                   "flavors": [{"name": "h100", "resources": [{"name": "nvidia.com/gpu", "nominalQuota": 8}]}]}]}}""",
                GenericKubernetesResource.class);
        ClusterQueue read = KueueApi.asV1beta2(v1beta1, ClusterQueue.class);
        assertThat(read.getSpec().getCohortName()).isEqualTo("team-ab");
        assertThat(read.getSpec().getResourceGroups().get(0).getFlavors().get(0).getName()).isEqualTo("h100");
    }

    @Test
    void anObjectThatDoesNotReadIsNamed() {
        GenericKubernetesResource bad = Serialization.unmarshal("""
                {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ClusterQueue", "metadata": {"name": "broken"},
                 "spec": {"resourceGroups": "not a list"}}""", GenericKubernetesResource.class);
        assertThatThrownBy(() -> KueueApi.asV1beta2(bad, ClusterQueue.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("ClusterQueue broken does not read");
    }
}
