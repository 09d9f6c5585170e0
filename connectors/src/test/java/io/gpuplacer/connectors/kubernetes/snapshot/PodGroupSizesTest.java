package io.gpuplacer.connectors.kubernetes.snapshot;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Gang sizes from PodGroups (scheduling.x-k8s.io/v1alpha1) on fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class PodGroupSizesTest {

    KubernetesClient client;

    @Test
    void theSizeIsThePodGroupsMinMember() {
        GenericKubernetesResource group = new GenericKubernetesResourceBuilder()
                .withApiVersion("scheduling.x-k8s.io/v1alpha1").withKind("PodGroup")
                .withNewMetadata().withName("train-llm").withNamespace("nlp").endMetadata()
                .addToAdditionalProperties("spec", Map.of("minMember", 4, "scheduleTimeoutSeconds", 60)).build();
        client.genericKubernetesResources(PodGroupSizes.POD_GROUP).inNamespace("nlp").resource(group).create();
        PodGroupSizes sizes = new PodGroupSizes(client);
        assertThat(sizes.minMember("nlp", "train-llm")).hasValue(4);
        assertThat(sizes.minMember("nlp", "absent")).isEmpty();
        assertThat(sizes.minMember("other", "train-llm")).isEmpty();
    }
}
