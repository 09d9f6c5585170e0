package io.gpuplacer.connectors.kubernetes.kueue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * The version of Kueue's API the API server serves, v1beta2 (Kueue 0.15 and later) preferred, else v1beta1 (Kueue 0.9
 * to 0.14, and later releases that still serve it): Kueue's objects are read as generic resources of that version
 * and taken as the v1beta2 model classes, the fields v1beta2 renamed carried over (a ClusterQueue's {@code cohort}
 * is v1beta2's {@code cohortName}); a Workload's status, the admission checks' part of it, is the same in both.
 */
public final class KueueApi {

    public static final String GROUP = "kueue.x-k8s.io";
    private static final ObjectMapper JSON = Serialization.jsonMapper();

    private final KubernetesClient client;
    private final String version;

    private KueueApi(KubernetesClient client, String version) {
        this.client = client;
        this.version = version;
    }

    /** The API as served, or null when the API server serves neither version (no Kueue). */
    public static KueueApi discover(KubernetesClient client) {
        for (String version : new String[] {"v1beta2", "v1beta1"}) {
            KueueApi api = new KueueApi(client, version);
            if (api.serves("ClusterQueue")) {
                return api;
            }
        }
        return null;
    }

    /** Whether the kind is served in this version (Cohorts came to v1beta1 after it: older releases have none). */
    public boolean serves(String kind) {
        try {
            resources(kind).list(new ListOptionsBuilder().withLimit(1L).build());
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Why the kind cannot be read (not served by this release, or RBAC forbids listing it), or null when it can: a
     * kind the service can do without is then left out, said, instead of stopping the watch.
     */
    public String unreadable(String kind) {
        try { // as the informer lists it: a namespaced kind in every namespace
            var operation = resources(kind);
            (context(kind).isNamespaceScoped() ? operation.inAnyNamespace() : operation).list(new ListOptionsBuilder()
                    .withLimit(1L).build());
            return null;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return kind + " is not served in " + apiVersion();
            }
            if (e.getCode() == 403) {
                return kind + " may not be listed (403): the service account's ClusterRole lacks "
                        + kind.toLowerCase(java.util.Locale.ROOT) + "s (deploy/kubernetes/base/rbac.yaml)";
            }
            throw e;
        }
    }

    /** {@code v1beta2} or {@code v1beta1}. */
    public String version() {
        return version;
    }

    public String apiVersion() {
        return GROUP + "/" + version;
    }

    /** The operations on one kind of Kueue's objects, in the served version. */
    public MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            resources(String kind) {
        return client.genericKubernetesResources(context(kind));
    }

    private ResourceDefinitionContext context(String kind) {
        boolean namespaced = kind.equals("Workload") || kind.equals("LocalQueue");
        String plural = kind.toLowerCase(java.util.Locale.ROOT) + "s"; // Kueue's plurals, all of them
        return new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(namespaced).build();
    }

    /** The object as the v1beta2 model class {@code type}, read from either version. */
    public static <T> T asV1beta2(GenericKubernetesResource object, Class<T> type) {
        ObjectNode tree = JSON.valueToTree(object);
        if ("ClusterQueue".equals(object.getKind()) && tree.path("spec").isObject()) {
            ObjectNode spec = (ObjectNode) tree.get("spec");
            if (spec.has("cohort") && !spec.has("cohortName")) {
                spec.set("cohortName", spec.remove("cohort"));
            }
        }
        try {
            return JSON.treeToValue(tree, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(object.getKind() + " " + object.getMetadata().getName()
                    + " does not read: " + e.getOriginalMessage(), e);
        }
    }
}
