package io.gpuplacer.connectors.kubernetes.snapshot;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.Map;
import java.util.OptionalInt;

/**
 * Gang sizes from the coscheduling plugin's PodGroups ({@code scheduling.x-k8s.io/v1alpha1}, {@code spec.minMember}).
 * A PodGroup that is missing, unreadable or has no {@code minMember} gives no size.
 */
public final class PodGroupSizes implements GangSizes {

    static final ResourceDefinitionContext POD_GROUP = new ResourceDefinitionContext.Builder()
            .withGroup("scheduling.x-k8s.io").withVersion("v1alpha1").withKind("PodGroup").withPlural("podgroups")
            .withNamespaced(true).build();

    private final KubernetesClient client;

    public PodGroupSizes(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public OptionalInt minMember(String namespace, String group) {
        try {
            GenericKubernetesResource pg = client.genericKubernetesResources(POD_GROUP).inNamespace(namespace)
                    .withName(group).get();
            Object spec = pg == null ? null : pg.getAdditionalProperties().get("spec");
            Object min = spec instanceof Map<?, ?> m ? m.get("minMember") : null;
            return min instanceof Number n && n.intValue() >= 1 ? OptionalInt.of(n.intValue()) : OptionalInt.empty();
        } catch (KubernetesClientException e) {
            return OptionalInt.empty();
        }
    }
}
