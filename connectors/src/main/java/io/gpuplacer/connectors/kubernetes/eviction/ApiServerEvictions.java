package io.gpuplacer.connectors.kubernetes.eviction;

import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Evictions through {@code POST .../pods/{name}/eviction} ({@code policy/v1}): the API server checks the pod's
 * PodDisruptionBudgets and answers 429 when one does not allow it, which is reported, never overridden.
 */
public final class ApiServerEvictions implements PodEvictions {

    private final KubernetesClient client;

    public ApiServerEvictions(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Outcome evict(String namespace, String name) throws EvictionException {
        Eviction eviction = new EvictionBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .endMetadata().build();
        try {
            // fabric8 answers false for 429 (a disruption budget) and for a pod that is not found.
            if (client.pods().inNamespace(namespace).withName(name).evict(eviction)) {
                return Outcome.EVICTED;
            }
            return client.pods().inNamespace(namespace).withName(name).get() == null ? Outcome.GONE
                    : Outcome.REFUSED_BY_BUDGET;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 429) {
                return Outcome.REFUSED_BY_BUDGET;
            }
            if (e.getCode() == 404) {
                return Outcome.GONE;
            }
            throw new EvictionException("the API server refused the eviction of " + namespace + "/" + name
                    + (e.getCode() > 0 ? " (" + e.getCode() + ")" : "") + ": " + (e.getStatus() != null
                    && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getClass().getSimpleName()));
        }
    }
}
