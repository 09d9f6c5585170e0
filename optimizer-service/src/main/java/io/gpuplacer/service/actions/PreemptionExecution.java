package io.gpuplacer.service.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gpuplacer.connectors.kubernetes.eviction.PodEvictions;
import io.gpuplacer.model.problem.PreemptionReason;
import io.gpuplacer.model.problem.Queue;
import io.gpuplacer.model.problem.Quota;
import io.gpuplacer.model.problem.QuotaUnits;
import io.gpuplacer.model.problem.RunningTask;
import io.gpuplacer.service.kubernetes.KubernetesSnapshots;
import io.gpuplacer.service.persistence.ClusterActionRecord;
import io.gpuplacer.service.replica.ReplicaLocks;
import io.gpuplacer.service.state.ClusterState;
import io.gpuplacer.service.state.OracleView;
import io.gpuplacer.service.state.TaskKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The preemptions of an optimization run (interchange section 9), carried out through the Eviction API like moves.
 * Each preempted task is a PREEMPT action naming the job it makes room for and Kueue's reason, PLANNED when the
 * run is applied and tried at each tick, a gang's tasks together (a preempted gang goes whole): only while the
 * victim still runs on its node and the job it was for has not started; only while the reason still holds (a
 * queue that no longer borrows the flavor is not reclaimed from: never below its guarantee); within the
 * disruption budget moves share (at most a share of the GPU nodes disrupted in any hour); never past a
 * PodDisruptionBudget (held, tried again); and only with {@code gpuplacer.kubernetes.apply} on (else DRY_RUN).
 * Each carried out counts in {@code gpuplacer_preemptions_total{queue,reason}} (the victim's queue).
 */
public final class PreemptionExecution {

    private final KubernetesSnapshots cluster;
    private final PodEvictions evictions;
    private final ClusterState state;
    private final ActionLog log;
    private final MeterRegistry metrics;
    private final boolean apply;
    private final double nodeShare;
    private final Duration ttl;

    public PreemptionExecution(KubernetesSnapshots cluster, PodEvictions evictions, ClusterState state, ActionLog log,
                               MeterRegistry metrics, boolean apply, double nodeShare, Duration ttl) {
        this.cluster = cluster;
        this.evictions = evictions;
        this.state = state;
        this.log = log;
        this.metrics = metrics;
        this.apply = apply;
        this.nodeShare = nodeShare;
        this.ttl = ttl;
    }

    /**
     * The preemptions of a plan ({@code [{job, task, node, for, reason}]}) as PLANNED actions; those that cannot
     * be (no pod, not running, not queued work, an unknown reason), FAILED.
     */
    public synchronized List<ClusterActionRecord> plan(JsonNode preemptions, String run) {
        List<ClusterActionRecord> out = new ArrayList<>();
        OracleView view = state.view();
        for (JsonNode p : preemptions == null ? JsonNodeFactory.instance.arrayNode() : preemptions) {
            String job = p.path("job").asText();
            int task = p.path("task").asInt();
            String node = p.path("node").asText();
            String forJob = p.path("for").asText();
            String reason = p.path("reason").asText();
            String pod = cluster.podOf(job, task);
            RunningTask running = view.runningTask(job, task);
            String why = pod == null ? ActionReason.NO_POD.text(job, task)
                    : running == null ? ActionReason.NOT_RUNNING.text(job, task)
                    : running.job().queue() == null ? ActionReason.NOT_QUEUED.text(job, task)
                    : reasonOf(reason) == null ? ActionReason.UNKNOWN_PREEMPTION_REASON.text(reason) : null;
            out.add(log.recordPreemption(pod == null ? TaskKey.of(job, task) : pod, TaskKey.of(job, task), node,
                    new ActionLog.Preemption(forJob, reason, running == null || running.job().queue() == null ? null
                            : running.job().queue().id(), running == null ? null
                            : running.job().lossHoursPerInterruption() * running.job().gpu().share()),
                    why == null ? ActionLog.Status.PLANNED
                            : ActionLog.Status.FAILED,
                    why == null ? ActionReason.PREEMPT_PLANNED.text(run, node, forJob, reason) : why));
        }
        return out;
    }

    /** One pass at {@code now} over the PLANNED preemptions, a gang (the victim job's actions) at a time. */
    public synchronized void tick(Instant now, ReplicaLocks.Leadership lead) {
        OracleView view = state.view();
        DisruptionBudget budget = DisruptionBudget.of(log, view, now, nodeShare);
        for (List<ClusterActionRecord> gang : gangs(log.planned())) {
            List<Victim> victims = new ArrayList<>();
            String held = null;
            for (ClusterActionRecord a : gang) {
                Victim v = check(view, a, now);
                if (v.superseded() != null) {
                    log.update(lead, a, a.nodes(), ActionLog.Status.SUPERSEDED, v.superseded());
                } else {
                    victims.add(v);
                    held = held != null ? held : v.held();
                }
            }
            if (victims.isEmpty()) {
                continue;
            }
            if (held == null && !budget.allows(victims.stream().map(Victim::node).toList())) {
                held = budget.refusal();
            }
            if (held != null) { // the gang goes whole or not at all
                for (Victim v : victims) {
                    log.update(lead, v.action(), v.action().nodes(), ActionLog.Status.PLANNED, held);
                }
                continue;
            }
            for (Victim v : victims) {
                if (!apply) {
                    log.update(lead, v.action(), v.action().nodes(), ActionLog.Status.DRY_RUN,
                            ActionReason.PREEMPT_DRY_RUN.text(v.node(), v.action().forJob(), v.reason()));
                } else if (evict(lead, v)) {
                    budget.disrupt(v.node());
                }
            }
        }
    }

    /** A planned preemption checked now: why it is superseded, or why it is held this tick, or neither. */
    private record Victim(ClusterActionRecord action, String node, String queue, PreemptionReason reason,
                          String superseded, String held) {
    }

    private Victim check(OracleView view, ClusterActionRecord a, Instant now) {
        String node = a.nodes();
        if (!now.isBefore(a.createdAt().plus(ttl))) {
            return superseded(a, ActionReason.EXPIRED.text(a.createdAt(), ttl.toMinutes()));
        }
        TaskKey task = TaskKey.parse(cluster.taskOf(a.target()));
        RunningTask running = task == null ? null : view.runningTask(task.job(), task.task());
        if (running == null || !running.node().id().equals(node)) {
            return superseded(a, ActionReason.MOVED_AWAY.text(node));
        }
        if (view.runningJobIds().contains(a.forJob())) {
            return superseded(a, ActionReason.PREEMPTOR_STARTED.text(a.forJob()));
        }
        Queue queue = running.job().queue();
        PreemptionReason reason = reasonOf(a.preemptionReason());
        String flavor = running.node().gpuModel();
        if (reason != PreemptionReason.InClusterQueue) { // a cohort's reclaim takes only what the victim's queue borrows
            double use = use(view, queue, flavor);
            Quota quota = queue.quota(flavor);
            double nominal = quota == null ? 0 : quota.nominal();
            if (use <= nominal + QuotaUnits.TOLERANCE_GPUS) {
                return superseded(a, ActionReason.REASON_GONE.text(reason, queue.id(), fmt(use), fmt(nominal),
                        flavor));
            }
        }
        String budget = cluster.blockingBudget(a.target());
        String held = budget == null ? null : ActionReason.PDB_BLOCKS.text(budget);
        return new Victim(a, node, queue.id(), reason, null, held);
    }

    private static Victim superseded(ClusterActionRecord a, String why) {
        return new Victim(a, a.nodes(), null, null, why, null);
    }

    /** Whether the pod was evicted. */
    private boolean evict(ReplicaLocks.Leadership lead, Victim v) {
        ClusterActionRecord a = v.action();
        String[] pod = a.target().split("/", 2);
        lead.check(); // the last moment before the cluster is changed
        try {
            switch (evictions.evict(pod[0], pod[1])) {
                case EVICTED -> {
                    log.update(lead, a, a.nodes(), ActionLog.Status.APPLIED,
                            ActionReason.PREEMPTED.text(v.node(), a.forJob(), v.reason()));
                    Counter.builder("gpuplacer.preemptions").description("running tasks preempted for queued work "
                                    + "(interchange section 9), by the victim's queue and Kueue's reason")
                            .tag("queue", v.queue()).tag("reason", v.reason().name()).register(metrics).increment();
                    return true;
                }
                case REFUSED_BY_BUDGET -> log.update(lead, a, a.nodes(), ActionLog.Status.PLANNED,
                        ActionReason.PDB_REFUSED.text());
                case GONE -> log.update(lead, a, a.nodes(), ActionLog.Status.SUPERSEDED,
                        ActionReason.POD_GONE.text());
            }
        } catch (PodEvictions.EvictionException e) {
            log.update(lead, a, a.nodes(), ActionLog.Status.FAILED, ActionReason.API_SERVER_REFUSED.text(e.getMessage()));
        }
        return false;
    }

    /** The planned PREEMPT actions by victim job, oldest first. */
    private static List<List<ClusterActionRecord>> gangs(List<ClusterActionRecord> planned) {
        Map<String, List<ClusterActionRecord>> byJob = new LinkedHashMap<>();
        for (ClusterActionRecord a : planned) {
            if (ActionLog.Kind.PREEMPT.name().equals(a.kind())) {
                TaskKey key = TaskKey.parse(a.job());
                byJob.computeIfAbsent(key == null ? a.job() : key.job(), k -> new ArrayList<>()).add(a);
            }
        }
        return List.copyOf(byJob.values());
    }

    /** GPUs of the flavor the queue's running work holds now. */
    private static double use(OracleView view, Queue queue, String flavor) {
        long units = 0;
        for (RunningTask r : view.base().running()) {
            if (queue.equals(r.job().queue()) && r.node().gpuModel().equals(flavor)) {
                units += r.job().quotaUnits();
            }
        }
        return QuotaUnits.gpus(units);
    }

    private static PreemptionReason reasonOf(String name) {
        for (PreemptionReason r : PreemptionReason.values()) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        return null;
    }

    private static String fmt(double gpus) {
        return new java.math.BigDecimal(gpus).round(new java.math.MathContext(4)).stripTrailingZeros()
                .toPlainString();
    }
}
