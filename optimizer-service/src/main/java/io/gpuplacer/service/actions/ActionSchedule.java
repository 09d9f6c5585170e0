package io.gpuplacer.service.actions;

import io.gpuplacer.service.config.KubernetesSettings;
import io.gpuplacer.service.config.Modes;
import io.gpuplacer.service.config.ServiceSettings;
import io.gpuplacer.service.ledger.ArrivalRecorder;
import io.gpuplacer.service.kubernetes.KubernetesSnapshots;
import io.gpuplacer.service.replica.LeaderEpochs;
import io.gpuplacer.service.replica.ReplicaLocks;
import io.gpuplacer.service.state.ClusterState;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * With {@code gpuplacer.kubernetes.enabled}: every {@code gpuplacer.kubernetes.gates.tick} (30 s) the leader
 * releases the gated pods that are due, carries out the planned evictions and answers Kueue's carbon-window
 * admission check; {@code gpuplacer.kubernetes.apply}
 * (off by default) decides whether anything is sent.
 */
@Context
@Requires(property = "gpuplacer.kubernetes.enabled", value = "true")
@Requires(notEnv = Modes.TOOL)
public class ActionSchedule {

    private static final Logger LOG = LoggerFactory.getLogger(ActionSchedule.class);

    private final GateRelease release;
    private final MoveExecution moves;
    private final PreemptionExecution preemptions;
    private final io.gpuplacer.service.kueue.CarbonAdmission admission;
    private final ReplicaLocks replicas;
    private final Clock clock;
    private final io.gpuplacer.service.persistence.ChangeWriter audited;

    public ActionSchedule(KubernetesSnapshots snapshots, ClusterState state, ActionLog log, ReplicaLocks replicas,
                          Clock clock, ServiceSettings settings, SteeringHints steering, ArrivalRecorder arrivals,
                          KubernetesSettings kubernetes, io.gpuplacer.service.persistence.ChangeWriter audited,
                          io.micrometer.core.instrument.MeterRegistry metrics,
                          io.gpuplacer.service.signals.SignalSources sources) {
        boolean apply = kubernetes.apply();
        double nodeShare = kubernetes.disruption().maxNodeShare();
        java.time.Duration ttl = kubernetes.actions().ttl();
        this.release = new GateRelease(snapshots.gates(), state, log, apply, settings.recommendationBudgetMillis(),
                ttl, (id, job) -> arrivals.arrived("gate", id, job));
        this.moves = new MoveExecution(snapshots, snapshots.evictions(), state, log, steering, apply, nodeShare, ttl);
        this.preemptions = new PreemptionExecution(snapshots, snapshots.evictions(), state, log, metrics, apply,
                nodeShare, ttl);
        this.admission = new io.gpuplacer.service.kueue.CarbonAdmission(snapshots.workloadChecks(), state, log, apply,
                kubernetes.kueue(), new io.gpuplacer.service.kueue.SignalFreshness(sources, clock,
                kubernetes.kueue().signalsStaleAfter()), settings.recommendationBudgetMillis(),
                (id, job) -> arrivals.arrived("kueue", id, job));
        this.replicas = replicas;
        this.clock = clock;
        this.audited = audited;
        LOG.info("actions: gated pods are released, moves and preemptions evicted, Kueue Workloads admitted by the "
                + "check {} {}", kubernetes.kueue().controllerName(), apply ? "(apply: on)" : "in dry-run (gpuplacer.kubernetes.apply"
                + " is off: actions are recorded, nothing is sent)");
    }

    @Scheduled(fixedDelay = "${gpuplacer.kubernetes.gates.tick:30s}", initialDelay = "${gpuplacer.kubernetes.gates.tick:30s}")
    void scheduled() {
        if (!replicas.isLeader()) {
            return;
        }
        try {
            tick(clock.instant());
        } catch (LeaderEpochs.StaleLeaderException e) {
            LOG.warn("actions: the pass stopped: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("actions: a pass failed ({}); the next tick tries again", e.getClass().getSimpleName());
        }
    }

    /**
     * One pass at an instant (tests pass any): releases, then evictions, then the admission check; only on the
     * leader, after it confirmed its
     * lock and epoch, and every write under that epoch. Returns whether it ran.
     */
    public boolean tick(java.time.Instant now) {
        ReplicaLocks.Leadership lead = replicas.confirm();
        if (lead == null) {
            return false;
        }
        release.tick(now, lead);
        moves.tick(now, lead);
        preemptions.tick(now, lead);
        admission.tick(now, lead);
        return true;
    }

    /**
     * A run's plan: its moves and its preemptions as planned evictions; all the run's actions and the request's
     * audit row in one transaction: none is half-written.
     */
    public java.util.List<ActionLog.Entry> applyPlan(com.fasterxml.jackson.databind.JsonNode plan, String run) {
        return audited.write(() -> {
            java.util.List<io.gpuplacer.service.persistence.ClusterActionRecord> all =
                    new java.util.ArrayList<>(this.moves.plan(plan.get("moves"), run));
            all.addAll(this.preemptions.plan(plan.get("preemptions"), run));
            return all;
        }, planned -> "optimization " + run).stream().map(ActionLog.Entry::of).toList();
    }
}
