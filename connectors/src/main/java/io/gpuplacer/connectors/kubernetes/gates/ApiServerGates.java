package io.gpuplacer.connectors.kubernetes.gates;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.gpuplacer.connectors.kubernetes.snapshot.GangSizes;
import io.gpuplacer.connectors.kubernetes.snapshot.PendingPods;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The gated pods from the watcher's cache, released through the API server: one update that adds the required node
 * affinity (kept narrowing, as the API allows while a pod is gated: a term of its own when it has none, else the
 * node requirement added to each of its terms) and removes the gate.
 */
public final class ApiServerGates implements GatedPods {

    private final KubernetesClient client;
    private final Supplier<List<Pod>> pods;
    private final PendingPods mapper;
    private final GangSizes sizes;

    public ApiServerGates(KubernetesClient client, Supplier<List<Pod>> pods, PendingPods mapper, GangSizes sizes) {
        this.client = client;
        this.pods = pods;
        this.mapper = mapper;
        this.sizes = sizes;
    }

    @Override
    public List<GatedPod> gated() {
        List<GatedPod> out = new ArrayList<>();
        for (Pod pod : pods.get()) {
            if (!isGated(pod) || pod.getMetadata() == null) {
                continue;
            }
            String ns = pod.getMetadata().getNamespace();
            String name = pod.getMetadata().getName();
            String uid = pod.getMetadata().getUid();
            try {
                String jobId = mapper.jobId(pod);
                out.add(new GatedPod(ns, name, uid, jobId, mapper.job(pod, mapper.tasks(pod, sizes)), null,
                        mapper.runningJobId(pod)));
            } catch (IllegalArgumentException e) {
                out.add(new GatedPod(ns, name, uid, ns + "/" + name, null, e.getMessage(), null));
            }
        }
        return out;
    }

    static boolean isGated(Pod pod) {
        return pod.getSpec() != null && pod.getSpec().getSchedulingGates() != null && pod.getSpec().getSchedulingGates()
                .stream().anyMatch(g -> g != null && AdmissionGate.GATE.equals(g.getName()));
    }

    @Override
    public void release(String namespace, String name, String node, List<String> gangNodes) throws ReleaseException {
        try {
            Pod released = client.pods().inNamespace(namespace).withName(name).edit(pod -> {
                if (gangNodes.size() > 1) {
                    if (pod.getMetadata().getAnnotations() == null) {
                        pod.getMetadata().setAnnotations(new java.util.HashMap<>());
                    }
                    pod.getMetadata().getAnnotations().put(GANG_NODES, String.join(",", gangNodes));
                }
                return node == null ? ungated(pod) : pinned(pod, node);
            });
            if (released == null) {
                throw new ReleaseException("pod " + namespace + "/" + name + " does not exist (any more)");
            }
        } catch (KubernetesClientException e) {
            throw new ReleaseException("the API server refused the release of " + namespace + "/" + name + " to "
                    + node + (e.getCode() > 0 ? " (" + e.getCode() + ")" : "") + ": "
                    + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                    : e.getClass().getSimpleName()));
        }
    }

    /** The gate removed, nothing pinned. */
    static Pod ungated(Pod pod) {
        pod.getSpec().setSchedulingGates(new ArrayList<>(pod.getSpec().getSchedulingGates().stream()
                .filter(g -> g == null || !AdmissionGate.GATE.equals(g.getName())).toList()));
        return pod;
    }

    /** The pod pinned to the node, the gate removed. */
    static Pod pinned(Pod pod, String node) {
        NodeSelectorRequirement onNode = new NodeSelectorRequirement("metadata.name", "In", List.of(node));
        Affinity affinity = pod.getSpec().getAffinity() != null ? pod.getSpec().getAffinity() : new Affinity();
        NodeAffinity nodeAffinity = affinity.getNodeAffinity() != null ? affinity.getNodeAffinity() : new NodeAffinity();
        NodeSelector required = nodeAffinity.getRequiredDuringSchedulingIgnoredDuringExecution();
        if (required == null || required.getNodeSelectorTerms() == null || required.getNodeSelectorTerms().isEmpty()) {
            NodeSelectorTerm term = new NodeSelectorTerm();
            term.setMatchFields(new ArrayList<>(List.of(onNode)));
            required = new NodeSelector(new ArrayList<>(List.of(term)));
        } else {
            for (NodeSelectorTerm term : required.getNodeSelectorTerms()) {
                List<NodeSelectorRequirement> fields = term.getMatchFields() == null ? new ArrayList<>()
                        : new ArrayList<>(term.getMatchFields());
                fields.add(onNode);
                term.setMatchFields(fields);
            }
        }
        nodeAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(required);
        affinity.setNodeAffinity(nodeAffinity);
        pod.getSpec().setAffinity(affinity);
        return ungated(pod);
    }
}
