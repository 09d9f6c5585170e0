package io.gpuplacer.service.extender;

import io.gpuplacer.service.kubernetes.SnapshotConfiguration;
import io.gpuplacer.service.config.KubernetesSettings;
import io.gpuplacer.connectors.kubernetes.KubernetesConnection;
import io.gpuplacer.connectors.kubernetes.extender.ExtenderProtocol;
import io.gpuplacer.connectors.kubernetes.snapshot.GangSizes;
import io.gpuplacer.connectors.kubernetes.snapshot.PendingPods;
import io.gpuplacer.service.actions.SteeringHints;
import io.gpuplacer.service.config.ServiceSettings;
import io.gpuplacer.service.ledger.ArrivalRecorder;
import io.gpuplacer.service.state.ClusterState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Factory;
import io.gpuplacer.service.persistence.GangReservationStore;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;

/**
 * The extender answers from the cluster state whether or not this service watches a cluster; binding and PodGroup
 * sizes need the API server ({@code gpuplacer.kubernetes.enabled}).
 */
@Factory
public class ExtenderFactory {

    @Singleton
    ExtenderService extender(ClusterState state, BeanProvider<KubernetesConnection> api,
                             ServiceSettings settings, Clock clock, MeterRegistry metrics, SteeringHints steering,
                             ArrivalRecorder arrivals, GangReservationStore gangStore, KubernetesSettings kubernetes,
                             SnapshotConfiguration snapshots) {
        Duration gangTtl = kubernetes.extender().gangTtl();
        GangSizes sizes = (namespace, group) -> api.isPresent() ? api.get().gangSizes().minMember(namespace, group)
                : GangSizes.NONE.minMember(namespace, group);
        ExtenderProtocol protocol = new ExtenderProtocol(new PendingPods(snapshots.settings(), snapshots.queues()),
                sizes);
        return new ExtenderService(state, protocol, () -> api.isPresent() ? api.get().binder() : null,
                new GangReservations(clock, gangTtl, gangStore), steering, settings.recommendationBudgetMillis(), metrics, arrivals);
    }
}
