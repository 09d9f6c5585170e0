package io.gpuplacer.connectors.kubernetes.kueue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.gpuplacer.connectors.kubernetes.snapshot.SnapshotSettings;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.MigCatalogue;
import io.x_k8s.kueue.v1beta2.ClusterQueue;
import io.x_k8s.kueue.v1beta2.LocalQueue;
import io.x_k8s.kueue.v1beta2.ResourceFlavor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Informers on Kueue's ClusterQueues, ResourceFlavors and LocalQueues (kueue.x-k8s.io/v1beta2), started only when
 * the API server serves them (a cluster without Kueue answers 404 and nothing is watched). {@link #queues} reads
 * their caches as the contract's queues.
 */
public final class KueueInformers implements AutoCloseable {

    private final SharedIndexInformer<ClusterQueue> clusterQueues;
    private final SharedIndexInformer<ResourceFlavor> flavors;
    private final SharedIndexInformer<LocalQueue> localQueues;

    private KueueInformers(SharedIndexInformer<ClusterQueue> clusterQueues, SharedIndexInformer<ResourceFlavor> flavors,
                           SharedIndexInformer<LocalQueue> localQueues) {
        this.clusterQueues = clusterQueues;
        this.flavors = flavors;
        this.localQueues = localQueues;
    }

    /** The informers, or null when the API server does not serve Kueue's v1beta2 API. */
    public static KueueInformers start(KubernetesClient client, ResourceEventHandler<Object> changes) {
        try {
            client.resources(ClusterQueue.class).list(new ListOptionsBuilder().withLimit(1L).build());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return null; // no Kueue (or not this version of its API) on this cluster
            }
            throw e;
        }
        return new KueueInformers(client.resources(ClusterQueue.class).inform(handler(changes), 0),
                client.resources(ResourceFlavor.class).inform(handler(changes), 0),
                client.resources(LocalQueue.class).inAnyNamespace().inform(handler(changes), 0));
    }

    @SuppressWarnings("unchecked")
    private static <T> ResourceEventHandler<T> handler(ResourceEventHandler<Object> changes) {
        return (ResourceEventHandler<T>) (ResourceEventHandler<?>) changes;
    }

    public boolean hasSynced() {
        return clusterQueues.hasSynced() && flavors.hasSynced() && localQueues.hasSynced();
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
            result = new KueueQueues(mig).map(clusterQueues.getStore().list(), flavors.getStore().list(),
                    localQueues.getStore().list(), labels);
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
        flavors.close();
        localQueues.close();
    }
}
