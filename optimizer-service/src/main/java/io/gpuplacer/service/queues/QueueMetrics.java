package io.gpuplacer.service.queues;

import io.gpuplacer.service.config.Modes;
import io.gpuplacer.service.state.ClusterState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The queues as Prometheus gauges, with Kueue's metric names under this service's prefix
 * ({@code gpuplacer_cluster_queue_weighted_share}, {@code _nominal_quota}, {@code _borrowing_limit},
 * {@code _lending_limit}, {@code _resource_usage}; labels {@code cluster_queue}, {@code flavor}, {@code resource};
 * with a Kubernetes connection {@code gpuplacer_cluster_queue_pending_workloads{cluster_queue}}, the pods waiting),
 * refreshed from the cluster state every 5 s; a queue that is gone is dropped.
 */
@Singleton
@Requires(notEnv = Modes.TOOL)
public class QueueMetrics {

    private static final String RESOURCE = "nvidia.com/gpu";

    private final ClusterState state;
    private final MultiGauge weightedShare;
    private final MultiGauge nominal;
    private final MultiGauge borrowingLimit;
    private final MultiGauge lendingLimit;
    private final MultiGauge usage;
    private final MultiGauge pending;
    private final io.micronaut.context.BeanProvider<io.gpuplacer.service.kubernetes.KubernetesSnapshots> kubernetes;
    private final java.time.Clock clock;

    public QueueMetrics(ClusterState state, MeterRegistry metrics,
                        io.micronaut.context.BeanProvider<io.gpuplacer.service.kubernetes.KubernetesSnapshots> kubernetes,
                        java.time.Clock clock) {
        this.state = state;
        this.kubernetes = kubernetes;
        this.clock = clock;
        this.pending = gauge(metrics, "gpuplacer.cluster.queue.pending.workloads", "pods of the queue waiting for "
                + "a node");
        this.weightedShare = gauge(metrics, "gpuplacer.cluster.queue.weighted.share",
                "Kueue's weighted share of the queue: the most it borrows of a flavor per 1000 lent, over its weight");
        this.nominal = gauge(metrics, "gpuplacer.cluster.queue.nominal.quota", "nominal quota, GPUs");
        this.borrowingLimit = gauge(metrics, "gpuplacer.cluster.queue.borrowing.limit", "borrowing limit, GPUs");
        this.lendingLimit = gauge(metrics, "gpuplacer.cluster.queue.lending.limit", "lending limit, GPUs");
        this.usage = gauge(metrics, "gpuplacer.cluster.queue.resource.usage", "GPU share its running work holds");
    }

    private static MultiGauge gauge(MeterRegistry metrics, String name, String description) {
        return MultiGauge.builder(name).description(description).register(metrics);
    }

    @Scheduled(fixedDelay = "5s", initialDelay = "1s")
    void refresh() {
        QueueStatus.Report report = QueueStatus.of(state.view().base(),
                kubernetes.isPresent() ? kubernetes.get().waiting() : null, clock.instant());
        List<MultiGauge.Row<?>> shares = new ArrayList<>();
        for (QueueStatus.QueueView q : report.queues()) {
            shares.add(MultiGauge.Row.of(Tags.of("cluster_queue", q.id()), q.weightedShare()));
        }
        weightedShare.register(shares, true);
        nominal.register(rows(report, f -> f.nominalGpus()), true);
        borrowingLimit.register(rows(report, f -> f.borrowingLimitGpus() == null ? Double.NaN
                : f.borrowingLimitGpus()), true);
        lendingLimit.register(rows(report, f -> f.lendingLimitGpus() == null ? Double.NaN : f.lendingLimitGpus()),
                true);
        usage.register(rows(report, QueueStatus.FlavorView::usedGpus), true);
        List<MultiGauge.Row<?>> waiting = new ArrayList<>();
        for (QueueStatus.QueueView q : report.queues()) {
            if (q.pending() != null) {
                waiting.add(MultiGauge.Row.of(Tags.of("cluster_queue", q.id()), q.pending().pods()));
            }
        }
        pending.register(waiting, true);
    }

    private static List<MultiGauge.Row<?>> rows(QueueStatus.Report report, ToDoubleFunction<QueueStatus.FlavorView> value) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (QueueStatus.QueueView q : report.queues()) {
            for (QueueStatus.FlavorView f : q.flavors()) {
                rows.add(MultiGauge.Row.of(Tags.of("cluster_queue", q.id(), "flavor", f.flavor(), "resource",
                        RESOURCE), value.applyAsDouble(f)));
            }
        }
        return rows;
    }
}
