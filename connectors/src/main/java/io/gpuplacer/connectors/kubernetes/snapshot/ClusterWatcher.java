package io.gpuplacer.connectors.kubernetes.snapshot;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Informers on the cluster's Nodes, Pods and PodDisruptionBudgets: after every change of a node or pod (debounced: a burst of changes gives one
 * snapshot, {@code debounce} after the first), the informers' caches are mapped to a snapshot and handed on.
 * The first snapshot comes once both caches are synced. Where the API server serves Kueue (kueue.x-k8s.io/v1beta2),
 * its ClusterQueues, ResourceFlavors and LocalQueues are watched too, and every snapshot carries the queues they make
 * (they win over the configured ones, once there is a ClusterQueue).
 */
public final class ClusterWatcher implements AutoCloseable {

    private final KubernetesClient client;
    private final SnapshotMapper mapper;
    private final Clock clock;
    private final Duration debounce;
    private final Consumer<SnapshotMapper.Result> sink;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kubernetes-snapshot");
        t.setDaemon(true);
        return t;
    });
    // Set once by start(), read by the service's passes on other threads.
    private volatile SharedIndexInformer<Node> nodes;
    private volatile SharedIndexInformer<Pod> pods;
    private volatile SharedIndexInformer<PodDisruptionBudget> budgets;
    private volatile io.gpuplacer.connectors.kubernetes.kueue.KueueInformers kueue;
    // Set once every informer synced: before, a node's event must not make a snapshot without Kueue's queues.
    private volatile boolean synced;
    private ScheduledFuture<?> pending;

    public ClusterWatcher(KubernetesClient client, SnapshotMapper mapper, Clock clock, Duration debounce,
                          Consumer<SnapshotMapper.Result> sink) {
        this.client = client;
        this.mapper = mapper;
        this.clock = clock;
        this.debounce = debounce;
        this.sink = sink;
    }

    /** Starts both informers and waits until they are synced (at most {@code timeout}); then the first snapshot. */
    public void start(Duration timeout) throws InterruptedException {
        nodes = client.nodes().inform(handler(), 0);
        pods = client.pods().inAnyNamespace().inform(handler(), 0);
        // Budgets change no snapshot: they are read when an eviction is about to be asked for.
        budgets = client.policy().v1().podDisruptionBudget().inAnyNamespace().inform();
        kueue = io.gpuplacer.connectors.kubernetes.kueue.KueueInformers.start(client, this.<Object>handler());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!(nodes.hasSynced() && pods.hasSynced() && budgets.hasSynced()
                && (kueue == null || kueue.hasSynced()))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the Kubernetes informers did not sync within " + timeout);
            }
            Thread.sleep(20);
        }
        synced = true;
        changed();
    }

    private <T> ResourceEventHandler<T> handler() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                changed();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                changed();
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                changed();
            }
        };
    }

    /** Schedules one snapshot for a burst of changes. */
    private synchronized void changed() {
        if (!synced) {
            return; // the first snapshot follows the sync of every informer, Kueue's included
        }
        if (pending == null || pending.isDone()) {
            pending = timer.schedule(this::emit, debounce.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The pods as the informer holds them now (none before the start). */
    public java.util.List<Pod> pods() {
        SharedIndexInformer<Pod> informer = pods;
        return informer == null ? java.util.List.of() : informer.getStore().list();
    }

    /** The nodes as the informer holds them now (none before the start). */
    public java.util.List<Node> nodes() {
        SharedIndexInformer<Node> informer = nodes;
        return informer == null ? java.util.List.of() : informer.getStore().list();
    }

    /** The mapper of its snapshots (and its queues in force). */
    public SnapshotMapper mapper() {
        return mapper;
    }

    /** Kueue's informers, or null (before the start, or no Kueue on the cluster). */
    public io.gpuplacer.connectors.kubernetes.kueue.KueueInformers kueue() {
        return kueue;
    }

    /** The controlling owner of the pod ({@code namespace/name}), or null (no such pod, or a bare pod). */
    public String controllerOf(String pod) {
        for (Pod p : pods()) {
            if (p.getMetadata() != null && pod.equals(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())) {
                return PodFields.hasController(p) ? p.getMetadata().getNamespace() + "/" + PodFields.controller(p) : null;
            }
        }
        return null;
    }

    /**
     * A PodDisruptionBudget of the pod's namespace that selects it and allows no disruption now
     * ({@code status.disruptionsAllowed} 0), as {@code namespace/name}; null when none does.
     */
    public String blockingBudget(String pod) {
        SharedIndexInformer<PodDisruptionBudget> informer = budgets;
        Pod target = null;
        for (Pod p : pods()) {
            if (p.getMetadata() != null && pod.equals(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())) {
                target = p;
            }
        }
        if (informer == null || target == null) {
            return null;
        }
        for (PodDisruptionBudget b : informer.getStore().list()) {
            if (b.getMetadata() != null && target.getMetadata().getNamespace().equals(b.getMetadata().getNamespace())
                    && b.getSpec() != null && Selectors.matches(b.getSpec().getSelector(),
                    Values.labels(target.getMetadata().getLabels()))
                    && b.getStatus() != null && b.getStatus().getDisruptionsAllowed() != null
                    && b.getStatus().getDisruptionsAllowed() <= 0) {
                return b.getMetadata().getNamespace() + "/" + b.getMetadata().getName();
            }
        }
        return null;
    }

    /** Whether Kueue's objects are watched (the API server serves them). */
    public boolean watchesKueue() {
        return kueue != null;
    }

    private void emit() {
        java.util.List<Node> nodeList = nodes.getStore().list();
        java.util.List<String> notes = java.util.List.of();
        if (kueue != null) {
            var read = kueue.queues(nodeList, mapper::gpuModelOf, io.gpuplacer.model.problem.MigCatalogue.bundled());
            // No ClusterQueue yet (or Kueue's API without any): the configured queues stay in force.
            mapper.queues().fromKueue(read.queues().definitions().isEmpty() ? null : read.queues());
            notes = read.notes();
        }
        SnapshotMapper.Result result = mapper.map(nodeList, pods.getStore().list(), clock.instant());
        if (!notes.isEmpty()) {
            java.util.List<SnapshotMapper.Skipped> skipped = new java.util.ArrayList<>(result.skipped());
            notes.forEach(n -> skipped.add(new SnapshotMapper.Skipped("Kueue", "queues", n)));
            result = new SnapshotMapper.Result(result.cluster(), java.util.List.copyOf(skipped), result.pods());
        }
        sink.accept(result);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (nodes != null) {
            nodes.close();
        }
        if (pods != null) {
            pods.close();
        }
        if (budgets != null) {
            budgets.close();
        }
        if (kueue != null) {
            kueue.close();
        }
    }
}
