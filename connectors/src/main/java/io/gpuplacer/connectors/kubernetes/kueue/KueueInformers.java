package io.gpuplacer.connectors.kubernetes.kueue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.gpuplacer.connectors.kubernetes.snapshot.SnapshotSettings;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.MigCatalogue;
import io.x_k8s.kueue.v1beta2.ClusterQueue;
import io.x_k8s.kueue.v1beta2.Cohort;
import io.x_k8s.kueue.v1beta2.LocalQueue;
import io.x_k8s.kueue.v1beta2.ResourceFlavor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Informers on Kueue's ClusterQueues, Cohorts, ResourceFlavors, LocalQueues, Workloads and AdmissionChecks, in the version of
 * Kueue's API the API server serves ({@link KueueApi}: v1beta2, else v1beta1), started only when it serves one (a
 * cluster without Kueue answers 404 and nothing is watched). {@link #queues} reads their caches as the contract's
 * queues; a change to the queues' objects makes a snapshot, a Workload's or an AdmissionCheck's does not (the
 * admission check reads them at its tick).
 */
public final class KueueInformers implements AutoCloseable {

    private final KueueApi api;
    private final SharedIndexInformer<GenericKubernetesResource> clusterQueues;
    // Null where unreadable (not served by the release, or forbidden): queues then go without Cohorts, and the
    // admission check without Workloads or AdmissionChecks is off.
    private final SharedIndexInformer<GenericKubernetesResource> cohorts;
    private final SharedIndexInformer<GenericKubernetesResource> flavors;
    private final SharedIndexInformer<GenericKubernetesResource> localQueues;
    private final SharedIndexInformer<GenericKubernetesResource> workloads;
    private final SharedIndexInformer<GenericKubernetesResource> checks;
    private final List<String> unreadable = new ArrayList<>();

    private KueueInformers(KueueApi api, ResourceEventHandler<GenericKubernetesResource> changes) {
        this.api = api;
        this.clusterQueues = api.resources("ClusterQueue").inform(changes, 0);
        this.cohorts = optional("Cohort") ? api.resources("Cohort").inform(changes, 0) : null;
        this.flavors = api.resources("ResourceFlavor").inform(changes, 0);
        this.localQueues = api.resources("LocalQueue").inAnyNamespace().inform(changes, 0);
        this.workloads = optional("Workload") ? api.resources("Workload").inAnyNamespace().inform() : null;
        this.checks = optional("AdmissionCheck") ? api.resources("AdmissionCheck").inform() : null;
    }

    private boolean optional(String kind) {
        String why = api.unreadable(kind);
        if (why != null) {
            unreadable.add(why);
        }
        return why == null;
    }

    /** The kinds left out, and why (the log says them once at the start). */
    public List<String> unreadable() {
        return List.copyOf(unreadable);
    }

    /** The informers, or null when the API server serves neither version of Kueue's API. */
    public static KueueInformers start(KubernetesClient client, ResourceEventHandler<Object> changes) {
        KueueApi api = KueueApi.discover(client);
        return api == null ? null : new KueueInformers(api, handler(changes));
    }

    @SuppressWarnings("unchecked")
    private static <T> ResourceEventHandler<T> handler(ResourceEventHandler<Object> changes) {
        return (ResourceEventHandler<T>) (ResourceEventHandler<?>) changes;
    }

    public KueueApi api() {
        return api;
    }

    /** Every Workload as the API server last sent it. */
    public List<GenericKubernetesResource> workloads() {
        return workloads == null ? List.of() : workloads.getStore().list();
    }

    /** The Workload {@code namespace/name} as last seen, or null. */
    public GenericKubernetesResource workload(String namespace, String name) {
        return workloads == null ? null : workloads.getStore().getByKey(namespace + "/" + name);
    }

    /** The nodeLabels of the ResourceFlavor of that name (empty when it has none, or there is no such flavor). */
    public Map<String, String> flavorNodeLabels(String name) {
        GenericKubernetesResource flavor = flavors.getStore().getByKey(name);
        if (flavor == null) {
            return Map.of();
        }
        ResourceFlavor read = KueueApi.asV1beta2(flavor, ResourceFlavor.class);
        return read.getSpec() == null || read.getSpec().getNodeLabels() == null ? Map.of()
                : read.getSpec().getNodeLabels();
    }

    /** Every AdmissionCheck as the API server last sent it. */
    public List<GenericKubernetesResource> admissionChecks() {
        return checks == null ? List.of() : checks.getStore().list();
    }

    public boolean hasSynced() {
        return clusterQueues.hasSynced() && (cohorts == null || cohorts.hasSynced()) && flavors.hasSynced()
                && localQueues.hasSynced() && (workloads == null || workloads.hasSynced())
                && (checks == null || checks.hasSynced());
    }

    /**
     * The queues Kueue's objects make now, flavors resolved against the nodes ({@code gpuModelOf}: a node's GPU
     * model, null without GPUs), with the notes of what was left out.
     */
    public Read queues(List<Node> nodes, Function<Node, String> gpuModelOf, MigCatalogue mig) {
        List<KueueQueues.NodeLabels> labels = new ArrayList<>();
        for (Node n : nodes) {
            labels.add(new KueueQueues.NodeLabels(n.getMetadata().getLabels() == null ? java.util.Map.of()
                    : n.getMetadata().getLabels(), gpuModelOf.apply(n)));
        }
        KueueQueues.Result result;
        try {
            result = new KueueQueues(mig).map(read(clusterQueues, ClusterQueue.class), cohorts == null ? List.of()
                    : read(cohorts, Cohort.class),
                    read(flavors, ResourceFlavor.class), read(localQueues, LocalQueue.class), labels);
        } catch (RuntimeException e) { // an object the API server let through that does not read: not the snapshot's end
            return new Read(new SnapshotSettings.Queues(JsonNodeFactory.instance.arrayNode(), Map.of(), Set.of()),
                    List.of("Kueue's objects could not be read (" + e.getMessage() + "); the configured queues stay "
                            + "in force"));
        }
        Set<String> ids = new HashSet<>();
        result.queues().forEach(q -> ids.add(q.get("id").asText()));
        List<String> notes = new ArrayList<>(result.notes());
        try { // checked as the contract reads them: one bad ClusterQueue must not stop every snapshot
            ProblemReader.readQueues(JsonNodeFactory.instance.objectNode().set("queues", result.queues()),
                    "Kueue's ClusterQueues");
        } catch (InputException e) {
            notes.add(e.getMessage() + "; the configured queues stay in force until it is fixed");
            return new Read(new SnapshotSettings.Queues(JsonNodeFactory.instance.arrayNode(), Map.of(), Set.of()),
                    List.copyOf(notes));
        }
        return new Read(new SnapshotSettings.Queues(result.queues(), result.localQueues(), Set.copyOf(ids)),
                List.copyOf(notes));
    }

    /** Kueue's queues as the snapshot's, and what of Kueue's objects was left out and why. */
    public record Read(SnapshotSettings.Queues queues, List<String> notes) {
    }

    @Override
    public void close() {
        clusterQueues.close();
        if (cohorts != null) {
            cohorts.close();
        }
        flavors.close();
        localQueues.close();
        if (workloads != null) {
            workloads.close();
        }
        if (checks != null) {
            checks.close();
        }
    }

    private static <T> List<T> read(SharedIndexInformer<GenericKubernetesResource> informer, Class<T> type) {
        List<T> out = new ArrayList<>();
        informer.getStore().list().forEach(o -> out.add(KueueApi.asV1beta2(o, type)));
        return out;
    }
}
