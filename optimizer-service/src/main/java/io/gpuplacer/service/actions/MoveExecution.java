package io.gpuplacer.service.actions;

import io.gpuplacer.service.state.TaskKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gpuplacer.connectors.kubernetes.eviction.PodEvictions;
import io.gpuplacer.constraints.oracle.PlacementOracle;
import io.gpuplacer.model.domain.SolutionFactory;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.RunningTask;
import io.gpuplacer.model.problem.Topology;
import io.gpuplacer.service.kubernetes.KubernetesSnapshots;
import io.gpuplacer.service.persistence.ClusterActionRecord;
import io.gpuplacer.service.replica.ReplicaLocks;
import io.gpuplacer.service.state.ClusterState;
import io.gpuplacer.service.state.OracleView;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Consolidation and evacuation moves of an optimization run, carried out through the Eviction API. Each move is an
 * EVICT action (nodes: from, to), PLANNED when the run is applied and tried at each tick: only a running task
 * that is migratable (annotated and owned by a controller), re-validated right before acting (the pod still on its
 * node, the target with room for it now), within the disruption budget (at most a share of the GPU nodes disrupted
 * in any hour, at least one), and through the Eviction API only: a PodDisruptionBudget that says no (429) leaves
 * the action PLANNED for the next tick, never forced. After an eviction the controller's replacement pod is
 * steered to the target ({@link SteeringHints}, read by the extender).
 */
public final class MoveExecution {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MoveExecution.class);

    private final KubernetesSnapshots cluster;
    private final PodEvictions evictions;
    private final ClusterState state;
    private final ActionLog log;
    private final SteeringHints steering;
    private final boolean apply;
    private final double nodeShare;
    private final Duration ttl;

    public MoveExecution(KubernetesSnapshots cluster, PodEvictions evictions, ClusterState state, ActionLog log,
                         SteeringHints steering, boolean apply, double nodeShare, Duration ttl) {
        this.ttl = ttl;
        this.cluster = cluster;
        this.evictions = evictions;
        this.state = state;
        this.log = log;
        this.steering = steering;
        this.apply = apply;
        this.nodeShare = nodeShare;
    }

    /** The moves of a plan ({@code [{job, task, fromNode, toNode}]}) as PLANNED actions; those that cannot be, FAILED. */
    public synchronized List<ClusterActionRecord> plan(JsonNode moves, String run) {
        List<ClusterActionRecord> out = new ArrayList<>();
        OracleView view = state.view();
        for (JsonNode m : moves == null ? JsonNodeFactory.instance.arrayNode() : moves) {
            String job = m.path("job").asText();
            int task = m.path("task").asInt();
            String from = m.path("fromNode").asText();
            String to = m.path("toNode").asText();
            String pod = cluster.podOf(job, task);
            String nodes = from + "," + to;
            RunningTask running = view.runningTask(job, task);
            String why = pod == null ? ActionReason.NO_POD.text(job, task)
                    : running == null ? ActionReason.NOT_RUNNING.text(job, task)
                    : !running.migratable() ? ActionReason.NOT_MIGRATABLE.text() : null;
            ActionLog.Status status = why == null ? ActionLog.Status.PLANNED : ActionLog.Status.FAILED;
            out.add(log.record(ActionLog.Kind.EVICT, pod == null ? TaskKey.of(job, task) : pod, TaskKey.of(job, task), nodes,
                    null, status, why == null ? ActionReason.MOVE_PLANNED.text(run, from, to) : why));
        }
        return out;
    }

    /** One pass at {@code now} over the PLANNED evictions, oldest first. */
    public synchronized void tick(Instant now, ReplicaLocks.Leadership lead) {
        OracleView view = state.view();
        // The pass's moves are checked together: each one carried out (or, in a dry run, that would be) takes its
        // room on the target in this copy, so that two moves to one target cannot both pass on the same view.
        OracleView together = null;
        DisruptionBudget budget = DisruptionBudget.of(log, view, now, nodeShare);
        for (ClusterActionRecord a : log.planned()) {
            if (!ActionLog.Kind.EVICT.name().equals(a.kind())) {
                continue;
            }
            if (!now.isBefore(a.createdAt().plus(ttl))) {
                log.update(lead, a, a.nodes(), ActionLog.Status.SUPERSEDED, ActionReason.EXPIRED.text(a.createdAt(),
                        ttl.toMinutes()));
                continue;
            }
            String[] nodes = a.nodes().split(",");
            String from = nodes[0];
            String to = nodes[1];
            TaskKey task = TaskKey.parse(cluster.taskOf(a.target()));
            RunningTask running = task == null ? null : view.runningTask(task.job(), task.task());
            if (running == null || !running.node().id().equals(from)) {
                log.update(lead, a, a.nodes(), ActionLog.Status.SUPERSEDED, ActionReason.MOVED_AWAY.text(from));
                continue;
            }
            if (!budget.allows(List.of(from))) {
                log.update(lead, a, a.nodes(), ActionLog.Status.PLANNED, budget.refusal());
                continue;
            }
            if (together == null) {
                together = view.scratch();
            }
            Room room = roomOn(together, running, to);
            if (room.reason() != null) {
                log.update(lead, a, a.nodes(), ActionLog.Status.PLANNED, ActionReason.NO_ROOM_ON_TARGET.text(room.reason()));
                continue;
            }
            String pdb = cluster.blockingBudget(a.target());
            if (pdb != null) { // known without asking: the API server would answer 429
                log.update(lead, a, a.nodes(), ActionLog.Status.PLANNED, ActionReason.PDB_BLOCKS.text(pdb));
                continue;
            }
            if (!apply) {
                log.update(lead, a, a.nodes(), ActionLog.Status.DRY_RUN, ActionReason.EVICT_DRY_RUN.text(from, to));
                room.take(together);
                continue;
            }
            if (evict(lead, a, from, to)) {
                budget.disrupt(from);
                room.take(together);
            }
        }
    }

    /** Whether the pod was evicted. */
    private boolean evict(ReplicaLocks.Leadership lead, ClusterActionRecord a, String from, String to) {
        String[] pod = a.target().split("/", 2);
        // Read before the eviction: once the pod is gone the watcher no longer knows its owner.
        String controller = cluster.controllerOf(a.target());
        lead.check(); // the last moment before the cluster is changed
        try {
            switch (evictions.evict(pod[0], pod[1])) {
                case EVICTED -> {
                    // Recorded first: the pod is gone, whatever happens to the hint.
                    log.update(lead, a, a.nodes(), ActionLog.Status.APPLIED, ActionReason.EVICTED.text(from, to));
                    steer(controller, to);
                    return true;
                }
                case REFUSED_BY_BUDGET -> log.update(lead, a, a.nodes(), ActionLog.Status.PLANNED, ActionReason.PDB_REFUSED.text());
                case GONE -> log.update(lead, a, a.nodes(), ActionLog.Status.SUPERSEDED, ActionReason.POD_GONE.text());
            }
        } catch (PodEvictions.EvictionException e) {
            log.update(lead, a, a.nodes(), ActionLog.Status.FAILED, ActionReason.API_SERVER_REFUSED.text(e.getMessage()));
        }
        return false;
    }

    /** The evicted pod's controller's next pod to the target; a hint not stored only loses the steering. */
    private void steer(String controller, String to) {
        if (controller == null) {
            return;
        }
        try {
            steering.steer(controller, to);
        } catch (RuntimeException e) {
            LOG.warn("moves: the replacement of a pod of {} could not be steered to {} ({}); kube-scheduler places it",
                    controller, to, e.getClass().getSimpleName());
        }
    }

    /** The room a moved task would take on its target now, or why there is none. */
    private record Room(TaskAssignment task, Node target, String reason) {
        static Room none(String reason) {
            return new Room(null, null, reason);
        }

        /** Commits it on the pass's copy: later moves of the pass go around it. */
        void take(OracleView together) {
            together.oracle().assign(task, target, 0);
        }
    }

    private Room roomOn(OracleView view, RunningTask running, String to) {
        Node target = view.node(to);
        if (target == null) {
            return Room.none("the target " + to + " is not in the cluster state");
        }
        // The running task as a pending one of its own, to start now on the target.
        Job j = running.job();
        Job read = new Job(0, TaskKey.of(j.id(), running.task()) + " (moved)", j.team(), j.queue(), j.priority(), 1,
                j.gpu(), j.cpuMillis(), j.memoryMiB(),
                j.gpuModels(), Topology.ANY, j.preemptible(), j.checkpointMinutes(), j.restartMinutes(),
                Math.max(0.25, running.remainingHours()), j.utilization(), null, null, false);
        if (!SolutionFactory.canHost(target, read)) {
            return Room.none("the target " + to + " cannot host it (rules or size)");
        }
        TaskAssignment task = view.tasksOf(read).get(0);
        PlacementOracle.Option option = view.oracle().evaluate(task, target, 0);
        return option.delta().hardScore() == 0 ? new Room(task, target, null)
                : Room.none("no room on the target " + to + " now");
    }
}
