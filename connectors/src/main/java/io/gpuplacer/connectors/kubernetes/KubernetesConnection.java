package io.gpuplacer.connectors.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.gpuplacer.connectors.kubernetes.eviction.ApiServerEvictions;
import io.gpuplacer.connectors.kubernetes.eviction.PodEvictions;
import io.gpuplacer.connectors.kubernetes.extender.ApiServerBinder;
import io.gpuplacer.connectors.kubernetes.snapshot.GangSizes;
import io.gpuplacer.connectors.kubernetes.extender.PodBinder;
import io.gpuplacer.connectors.kubernetes.snapshot.PodGroupSizes;
import io.gpuplacer.connectors.kubernetes.gates.ApiServerGates;
import io.gpuplacer.connectors.kubernetes.gates.GatedPods;
import io.gpuplacer.connectors.kubernetes.snapshot.ClusterWatcher;
import io.gpuplacer.connectors.kubernetes.snapshot.PendingPods;
import io.gpuplacer.connectors.kubernetes.snapshot.SnapshotMapper;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One connection to an API server and the ports built on it, so that callers hold no fabric8 type: the watcher of
 * nodes and pods, the binder, the PodGroup sizes, the gated pods.
 */
public final class KubernetesConnection implements AutoCloseable {

    private final KubernetesClient client;

    private KubernetesConnection(KubernetesClient client) {
        this.client = client;
    }

    /** At the master URL, or (blank) from kubeconfig or the in-cluster service account. */
    public static KubernetesConnection open(String masterUrl) {
        Config config = masterUrl == null || masterUrl.isBlank() ? Config.autoConfigure(null)
                : new ConfigBuilder(Config.empty()).withMasterUrl(masterUrl).build();
        // No retries inside a call: fabric8 would retry a 429 (a PodDisruptionBudget saying no) with backoff and hide
        // it; the service's own passes try again at their next tick, and say so in the action.
        config.setRequestRetryBackoffLimit(0);
        return new KubernetesConnection(new KubernetesClientBuilder().withConfig(config).build());
    }

    public String masterUrl() {
        return client.getMasterUrl().toString();
    }

    public ClusterWatcher watcher(SnapshotMapper mapper, Clock clock, Duration debounce,
                                  Consumer<SnapshotMapper.Result> sink) {
        return new ClusterWatcher(client, mapper, clock, debounce, sink);
    }

    public PodBinder binder() {
        return new ApiServerBinder(client);
    }

    public GangSizes gangSizes() {
        return new PodGroupSizes(client);
    }

    /** The pods held at the gate, as the watcher sees them, and their release through this connection. */
    public GatedPods gates(ClusterWatcher watcher, PendingPods mapper) {
        return new ApiServerGates(client, watcher::pods, mapper, gangSizes());
    }

    /**
     * The Workloads waiting for the admission check of {@code controller}, as the watcher's Kueue informers see
     * them, and the answers through this connection.
     */
    public io.gpuplacer.connectors.kubernetes.kueue.WorkloadChecks workloadChecks(ClusterWatcher watcher,
            PendingPods mapper, String controller, String blockLabel, Clock clock) {
        return new io.gpuplacer.connectors.kubernetes.kueue.ApiServerWorkloadChecks(watcher::kueue, watcher::nodes,
                watcher.mapper().queues(), new io.gpuplacer.connectors.kubernetes.kueue.KueueWorkloads(mapper),
                controller, blockLabel, clock);
    }

    public PodEvictions evictions() {
        return new ApiServerEvictions(client);
    }

    @Override
    public void close() {
        client.close();
    }
}
