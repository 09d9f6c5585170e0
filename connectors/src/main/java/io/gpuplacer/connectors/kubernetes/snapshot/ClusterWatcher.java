package io.gpuplacer.connectors.kubernetes.snapshot;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
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
 * Informers on the cluster's Nodes and Pods: after every change (debounced: a burst of changes gives one
 * snapshot, {@code debounce} after the first), the informers' caches are mapped to a snapshot and handed on.
 * The first snapshot comes once both caches are synced.
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
    private SharedIndexInformer<Node> nodes;
    private SharedIndexInformer<Pod> pods;
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
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!(nodes.hasSynced() && pods.hasSynced())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the Kubernetes informers did not sync within " + timeout);
            }
            Thread.sleep(20);
        }
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
        if (nodes == null || pods == null || !nodes.hasSynced() || !pods.hasSynced()) {
            return; // the first snapshot follows the sync
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

    /** The controlling owner of the pod ({@code namespace/name}), or null (no such pod, or a bare pod). */
    public String controllerOf(String pod) {
        for (Pod p : pods()) {
            if (p.getMetadata() != null && pod.equals(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())) {
                return PodFields.hasController(p) ? p.getMetadata().getNamespace() + "/" + PodFields.controller(p) : null;
            }
        }
        return null;
    }

    private void emit() {
        sink.accept(mapper.map(nodes.getStore().list(), pods.getStore().list(), clock.instant()));
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
    }
}
