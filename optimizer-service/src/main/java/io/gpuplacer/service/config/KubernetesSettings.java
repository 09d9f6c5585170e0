package io.gpuplacer.service.config;

import io.gpuplacer.connectors.kubernetes.snapshot.SnapshotSettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;

import java.time.Duration;
import java.util.List;

/**
 * {@code gpuplacer.kubernetes.*}: the cluster the service reads and acts on. The zones, node types and GPU models
 * the snapshot needs are lists of their own ({@link KubernetesZone}, {@link NodeType}, {@link GpuModelName}).
 *
 * @param enabled    read the cluster through the API server (informers) and serve the extender's bind
 * @param apply      carry actions out (gate releases, evictions); off: recorded as DRY_RUN, nothing is sent
 * @param masterUrl  the API server; empty: in-cluster or kubeconfig
 * @param debounce   changes within this time make one snapshot (0s..10m)
 * @param rackLabel  the node label of the rack
 * @param blockLabel the node label of the network block
 * @param teamLabel  the pod label of the team
 * @param queuesFile a JSON file with the queues every snapshot carries (contract section 9) and the Kueue
 *                   LocalQueues that map to them; empty: no queues
 * @param kueue      the carbon-window admission check for Kueue ({@link Kueue})
 */
@ConfigurationProperties("gpuplacer.kubernetes")
public record KubernetesSettings(
        @Bindable(defaultValue = "false") boolean enabled,
        @Bindable(defaultValue = "false") boolean apply,
        @Bindable(defaultValue = "") String masterUrl,
        @Bindable(defaultValue = "2s") Duration debounce,
        @Bindable(defaultValue = SnapshotSettings.RACK_LABEL) String rackLabel,
        @Bindable(defaultValue = SnapshotSettings.BLOCK_LABEL) String blockLabel,
        @Bindable(defaultValue = SnapshotSettings.TEAM_LABEL) String teamLabel,
        @Bindable(defaultValue = "") String queuesFile,
        Extender extender, Disruption disruption, Actions actions, Gates gates, Kueue kueue) {

    public KubernetesSettings {
        Durations.within("gpuplacer.kubernetes.debounce", debounce, "0s", "10m");
    }

    /**
     * {@code gpuplacer.kubernetes.extender.*}.
     *
     * @param gangTtl a gang's reservation is dropped when no member binds within this time (1s..1h)
     */
    @ConfigurationProperties("extender")
    public record Extender(@Bindable(defaultValue = "60s") Duration gangTtl) {
        public Extender {
            Durations.within("gpuplacer.kubernetes.extender.gang-ttl", gangTtl, "1s", "1h");
        }
    }

    /**
     * {@code gpuplacer.kubernetes.disruption.*}.
     *
     * @param maxNodeShare at most this share of the GPU nodes disrupted by evictions in any hour, at least one (0..1)
     */
    @ConfigurationProperties("disruption")
    public record Disruption(
            @Bindable(defaultValue = "0.1")
            @DecimalMin(value = "0", message = "gpuplacer.kubernetes.disruption.max-node-share "
                    + "(GPUPLACER_KUBERNETES_DISRUPTION_MAX_NODE_SHARE) must be a share of 0..1")
            @DecimalMax(value = "1", message = "gpuplacer.kubernetes.disruption.max-node-share "
                    + "(GPUPLACER_KUBERNETES_DISRUPTION_MAX_NODE_SHARE) must be a share of 0..1")
            double maxNodeShare) {
    }

    /**
     * {@code gpuplacer.kubernetes.actions.*}.
     *
     * @param ttl a planned action older than this is superseded, not carried out (1s..30d)
     */
    @ConfigurationProperties("actions")
    public record Actions(@Bindable(defaultValue = "1h") Duration ttl) {
        public Actions {
            Durations.within("gpuplacer.kubernetes.actions.ttl", ttl, "1s", "30d");
        }
    }

    /**
     * {@code gpuplacer.kubernetes.gates.*}.
     *
     * @param tick       how often the leader releases gated pods and carries out moves (1s..1d)
     * @param namespaces gate pods only in these namespaces (empty: those the webhook configuration sends)
     */
    @ConfigurationProperties("gates")
    public record Gates(@Bindable(defaultValue = "30s") Duration tick,
                        @Bindable(defaultValue = "") List<String> namespaces) {
        public Gates {
            Durations.within("gpuplacer.kubernetes.gates.tick", tick, "1s", "1d");
            namespaces = namespaces.stream().map(String::strip).filter(n -> !n.isEmpty()).toList();
        }
    }

    /**
     * {@code gpuplacer.kubernetes.kueue.*}: the carbon-window admission check (docs/kubernetes.md "Kueue").
     *
     * @param controllerName     answer for the AdmissionChecks whose {@code spec.controllerName} is this
     * @param minSaving          a Workload waits for a later hour only when it saves at least this share of CO2e
     *                           intensity against starting now (0..1)
     * @param hold               how a Workload waits: PENDING keeps its quota reserved (it starts the moment its hour
     *                           comes, but the quota is blocked for the cohort meanwhile); RETRY releases it and has
     *                           Kueue try again at the hour (requeueAfterSeconds; where the Kueue release keeps it)
     * @param signalsStaleAfter a carbon or price source with no answer for this long makes the check fail open
     *                           (5m..7d)
     */
    @ConfigurationProperties("kueue")
    public record Kueue(@Bindable(defaultValue = "gpuplacer.io/carbon-window") String controllerName,
                        @Bindable(defaultValue = "0.1")
                        @DecimalMin(value = "0", message = "gpuplacer.kubernetes.kueue.min-saving "
                                + "(GPUPLACER_KUBERNETES_KUEUE_MIN_SAVING) must be a share of 0..1")
                        @DecimalMax(value = "1", message = "gpuplacer.kubernetes.kueue.min-saving "
                                + "(GPUPLACER_KUBERNETES_KUEUE_MIN_SAVING) must be a share of 0..1")
                        double minSaving,
                        @Bindable(defaultValue = "PENDING") Hold hold,
                        @Bindable(defaultValue = "2h") Duration signalsStaleAfter) {
        public Kueue {
            Durations.within("gpuplacer.kubernetes.kueue.signals-stale-after", signalsStaleAfter, "5m", "7d");
            if (controllerName == null || controllerName.isBlank()) {
                throw new IllegalArgumentException("gpuplacer.kubernetes.kueue.controller-name "
                        + "(GPUPLACER_KUBERNETES_KUEUE_CONTROLLER_NAME) must not be empty");
            }
        }

        /** How a Workload waits for its hour. */
        public enum Hold { PENDING, RETRY }
    }
}
