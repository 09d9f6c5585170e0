package io.gpuplacer.connectors.kubernetes.extender;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Binds through the API server: a {@code Binding} (v1) for the pod, with the pod's UID as precondition, as
 * kube-scheduler's default binder sends it. A conflict (409) is read back: the pod already on that node is a retry
 * that went through, on another node an error.
 */
public final class ApiServerBinder implements PodBinder {

    private final KubernetesClient client;

    public ApiServerBinder(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Outcome bind(String namespace, String name, String uid, String node) throws BindingException {
        Binding binding = new BindingBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withUid(uid == null || uid.isBlank() ? null : uid).endMetadata()
                .withNewTarget().withApiVersion("v1").withKind("Node").withName(node).endTarget().build();
        try {
            client.bindings().inNamespace(namespace).resource(binding).create();
            return Outcome.BOUND;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return boundAlready(namespace, name, node);
            }
            if (e.getCode() == 404) {
                throw new BindingException("pod " + namespace + "/" + name + " does not exist (any more)");
            }
            throw new BindingException("the API server refused the binding of " + namespace + "/" + name + " to "
                    + node + (e.getCode() > 0 ? " (" + e.getCode() + ")" : "") + ": " + reason(e));
        }
    }

    private Outcome boundAlready(String namespace, String name, String node) throws BindingException {
        Pod pod;
        try {
            pod = client.pods().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new BindingException("the binding of " + namespace + "/" + name + " conflicted and the pod could not "
                    + "be read back: " + reason(e));
        }
        String on = pod == null || pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (node.equals(on)) {
            return Outcome.ALREADY_BOUND;
        }
        throw new BindingException("pod " + namespace + "/" + name + " is bound to " + (on == null ? "no node, and the "
                + "binding conflicted" : on) + ", not " + node);
    }

    private static String reason(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : e.getClass().getSimpleName();
    }
}
