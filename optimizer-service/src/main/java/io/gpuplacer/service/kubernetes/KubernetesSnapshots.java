package io.gpuplacer.service.kubernetes;

import io.gpuplacer.service.config.KubernetesSettings;
import io.gpuplacer.connectors.kubernetes.KubernetesConnection;
import io.gpuplacer.connectors.kubernetes.eviction.PodEvictions;
import io.gpuplacer.connectors.kubernetes.gates.GatedPods;
import io.gpuplacer.connectors.kubernetes.snapshot.ClusterWatcher;
import io.gpuplacer.connectors.kubernetes.snapshot.PendingPods;
import io.gpuplacer.connectors.kubernetes.snapshot.SnapshotSettings;
import io.gpuplacer.connectors.kubernetes.snapshot.SnapshotMapper;
import io.gpuplacer.model.problem.MigCatalogue;
import io.gpuplacer.service.config.Modes;
import io.gpuplacer.service.replica.ReplicaLocks;
import io.gpuplacer.service.state.ClusterState;
import io.gpuplacer.service.state.SnapshotInForce;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cluster state from Kubernetes: with {@code gpuplacer.kubernetes.enabled}, every replica watches Nodes and Pods
 * and the leader puts each snapshot in force (and so in the emission ledger) as a cluster PUT by
 * {@code kubernetes} would. Objects the mapper skips are logged once per reason and counted in a gauge.
 */
@Context
@Requires(property = "gpuplacer.kubernetes.enabled", value = "true")
@Requires(notEnv = Modes.TOOL)
public class KubernetesSnapshots {

    public static final String AUTHOR = "kubernetes";
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesSnapshots.class);

    private final ClusterState state;
    private final ReplicaLocks replicas;
    private final ClusterWatcher watcher;
    private final KubernetesConnection connection;
    private final GatedPods gates;
    private final PendingPods pending;
    private final io.gpuplacer.connectors.kubernetes.kueue.WorkloadChecks workloadChecks;
    private volatile java.util.Map<String, String> pods = java.util.Map.of();
    private final AtomicInteger skipped = new AtomicInteger();
    private final Set<String> reported = new HashSet<>();

    public KubernetesSnapshots(ClusterState state, ReplicaLocks replicas, Clock clock, MeterRegistry metrics,
                               KubernetesConnection connection, KubernetesSettings kubernetes,
                               SnapshotConfiguration configuration) {
        this.state = state;
        this.replicas = replicas;
        this.connection = connection;
        SnapshotSettings settings = configuration.settings();
        this.watcher = connection.watcher(new SnapshotMapper(settings, MigCatalogue.bundled(), configuration.queues()),
                clock,
                kubernetes.debounce(),
                this::snapshot);
        this.pending = new PendingPods(settings, configuration.queues());
        this.gates = connection.gates(watcher, pending);
        this.workloadChecks = connection.workloadChecks(watcher, pending, kubernetes.kueue().controllerName(),
                settings.blockLabel(), clock);
        metrics.gauge("gpuplacer.kubernetes.skipped.objects", skipped);
    }

    /** The pods held at the gate, as this replica's watcher sees them. */
    public GatedPods gates() {
        return gates;
    }

    /** The Kueue Workloads waiting for the carbon-window check, as this replica's watcher sees them. */
    public io.gpuplacer.connectors.kubernetes.kueue.WorkloadChecks workloadChecks() {
        return workloadChecks;
    }

    @PostConstruct
    void start() {
        Thread starter = new Thread(() -> {
            try {
                watcher.start(Duration.ofSeconds(60));
                LOG.info("kubernetes: watching nodes and pods at {}{}", connection.masterUrl(), watcher.watchesKueue()
                        ? ", and Kueue's queues (they replace gpuplacer.kubernetes.queues-file)" : "");
                if (watcher.kueue() != null) {
                    watcher.kueue().unreadable().forEach(why -> LOG.warn("kubernetes: Kueue: {}; left out (without "
                            + "Workloads and AdmissionChecks the carbon-window check is off)", why));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.error("kubernetes: cannot watch the cluster at {}: {}", connection.masterUrl(), e.getMessage());
            }
        }, "kubernetes-start");
        starter.setDaemon(true);
        starter.start();
    }

    /** The pods waiting for a node now (gated or not), as queued demand, as this replica's watcher sees them. */
    public java.util.List<PendingPods.Waiting> waiting() {
        return pending.waiting(watcher.pods(), MigCatalogue.bundled());
    }

    /** A waiting pod read as the pending job it is a task of (its gang's), or why it does not read as one. */
    public record WaitingJob(PendingPods.Waiting pod, com.fasterxml.jackson.databind.node.ObjectNode job,
                             String error) {
    }

    /** The waiting pods of a queue, the oldest first, at most {@code limit}, each read as its job. */
    public java.util.List<WaitingJob> waitingJobs(String queue, int limit) {
        java.util.Map<String, io.fabric8.kubernetes.api.model.Pod> byName = new java.util.HashMap<>();
        watcher.pods().forEach(p -> byName.put(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(), p));
        java.util.List<WaitingJob> out = new java.util.ArrayList<>();
        waiting().stream().filter(w -> queue.equals(w.queue()))
                .sorted(java.util.Comparator.comparing(PendingPods.Waiting::since,
                        java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())))
                .limit(limit).forEach(w -> {
                    io.fabric8.kubernetes.api.model.Pod pod = byName.get(w.pod());
                    try {
                        out.add(new WaitingJob(w, pending.job(pod, pending.tasks(pod, connection.gangSizes())),
                                null));
                    } catch (RuntimeException e) {
                        out.add(new WaitingJob(w, null, e.getMessage()));
                    }
                });
        return out;
    }

    /** The pod ({@code namespace/name}) of a running task in the newest snapshot, or null. */
    public String podOf(String job, int task) {
        return pods.get(SnapshotMapper.taskKey(job, task));
    }

    /** The pod's controlling owner ({@code namespace/name}) as the watcher sees it, or null. */
    public String controllerOf(String pod) {
        return watcher.controllerOf(pod);
    }

    /** A PodDisruptionBudget that allows the pod no disruption now ({@code namespace/name}), or null. */
    public String blockingBudget(String pod) {
        return watcher.blockingBudget(pod);
    }

    /** Evictions through this replica's connection. */
    public PodEvictions evictions() {
        return connection.evictions();
    }

    /** The running task ({@code job#task}) a pod is in the newest snapshot, or null. */
    public String taskOf(String pod) {
        for (java.util.Map.Entry<String, String> e : pods.entrySet()) {
            if (e.getValue().equals(pod)) {
                return e.getKey();
            }
        }
        return null;
    }

    void snapshot(SnapshotMapper.Result result) {
        pods = result.pods();
        skipped.set(result.skipped().size());
        synchronized (reported) {
            for (SnapshotMapper.Skipped s : result.skipped()) {
                if (reported.add(s.kind() + " " + s.name() + ": " + s.reason())) {
                    LOG.warn("kubernetes: {} {} left out of the snapshot: {}", s.kind(), s.name(), s.reason());
                }
            }
        }
        if (replicas.confirm() == null) {
            return; // the leader puts it in force (a stalled one steps down here); this replica reads it from the database
        }
        SnapshotInForce.put(state, result.cluster(), AUTHOR, LOG);
    }

    @PreDestroy
    void stop() {
        watcher.close(); // the connection is closed by its factory
    }
}
