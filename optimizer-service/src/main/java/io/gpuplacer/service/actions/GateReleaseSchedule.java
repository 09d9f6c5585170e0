package io.gpuplacer.service.actions;

import io.gpuplacer.service.config.Modes;
import io.gpuplacer.service.config.ServiceSettings;
import io.gpuplacer.service.kubernetes.KubernetesSnapshots;
import io.gpuplacer.service.replica.ReplicaLocks;
import io.gpuplacer.service.state.ClusterState;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * With {@code gpuplacer.kubernetes.enabled}: the leader releases gated pods every
 * {@code gpuplacer.kubernetes.gates.tick} (30 s); {@code gpuplacer.kubernetes.apply} (off by default) decides
 * whether anything is sent.
 */
@Context
@Requires(property = "gpuplacer.kubernetes.enabled", value = "true")
@Requires(notEnv = Modes.TOOL)
public class GateReleaseSchedule {

    private static final Logger LOG = LoggerFactory.getLogger(GateReleaseSchedule.class);

    private final GateRelease release;
    private final ReplicaLocks replicas;
    private final Clock clock;

    public GateReleaseSchedule(KubernetesSnapshots snapshots, ClusterState state, ActionLog log, ReplicaLocks replicas,
                               Clock clock, ServiceSettings settings,
                               @Value("${gpuplacer.kubernetes.apply:false}") boolean apply) {
        this.release = new GateRelease(snapshots.gates(), state, log, apply, settings.recommendationBudgetMillis());
        this.replicas = replicas;
        this.clock = clock;
        LOG.info("gates: gated pods are released {}", apply ? "(apply: on)" : "in dry-run (gpuplacer.kubernetes.apply"
                + " is off: actions are recorded, nothing is sent)");
    }

    @Scheduled(fixedDelay = "${gpuplacer.kubernetes.gates.tick:30s}", initialDelay = "${gpuplacer.kubernetes.gates.tick:30s}")
    void scheduled() {
        if (!replicas.isLeader()) {
            return;
        }
        try {
            release.tick(clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("gates: a release pass failed ({}); the next tick tries again", e.getClass().getSimpleName());
        }
    }

    /** For tests: one pass at the clock's instant or any other. */
    public void tick(java.time.Instant now) {
        release.tick(now);
    }
}
