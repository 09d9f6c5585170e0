package io.gpuplacer.service.actions;

import java.util.Locale;

/**
 * Every reason the actions log records, one list (as Karpenter lists its disruption reasons): why a pod was gated,
 * why a release or a move was planned, held, carried out, superseded or refused. Each has its message; the log keeps
 * the message with the action's status ({@code GET /v1/actions}).
 */
public enum ActionReason {
    // The gate (the admission webhook)
    GATED("gate %s added at creation"),
    GATE_DRY_RUN("dry-run (gpuplacer.kubernetes.apply is off, or no Kubernetes connection to release it): would add "
            + "the gate %s"),
    // Releases of gated pods
    RELEASE_PLANNED("start slot %d of its window; score change %s"),
    GANG_CHANGED("a member of its gang was recreated or went away; the gang is planned again once all its members "
            + "exist"),
    NO_LONGER_GATED("the pod is no longer held at the gate"),
    NO_ROOM("no room at its hour; tried again at the next tick"),
    RELEASE_DRY_RUN("dry-run (gpuplacer.kubernetes.apply is off): would pin to %s and remove the gate"),
    RELEASED("pinned to %s, gate removed"),
    DEADLINE_COMES("its deadline %s leaves no later start (it runs %s h) and its planned place has no room"),
    RELEASE_OVERDUE("its release was due at %s, more than %d min ago (gpuplacer.kubernetes.actions.ttl), and its "
            + "planned place has no room"),
    UNPINNED_DRY_RUN("dry-run (gpuplacer.kubernetes.apply is off): would remove the gate without a node: %s"),
    UNPINNED("gate removed without a node (%s); kube-scheduler places it"),
    // Moves (evictions)
    MOVE_PLANNED("move of run %s from %s to %s"),
    NO_POD("no pod of the cluster runs %s task %d"),
    NOT_RUNNING("%s task %d is not running"),
    NOT_MIGRATABLE("not migratable (it needs the annotation gpuplacer.io/migratable: \"true\" and a controlling owner)"),
    EXPIRED("expired: planned at %s, more than %d min ago (gpuplacer.kubernetes.actions.ttl); its plan is stale: "
            + "apply a newer run"),
    MOVED_AWAY("the pod is no longer running on %s"),
    DISRUPTION_BUDGET("disruption budget: %d of %d GPU node(s) allowed this hour (%s of %d) are disrupted; tried "
            + "again at the next tick"),
    NO_ROOM_ON_TARGET("%s; tried again at the next tick"),
    PDB_BLOCKS("PodDisruptionBudget %s allows no disruption now (status.disruptionsAllowed 0); tried again at the "
            + "next tick"),
    EVICT_DRY_RUN("dry-run (gpuplacer.kubernetes.apply is off): would evict it from %s and steer its replacement to "
            + "%s"),
    EVICTED("evicted from %s; its replacement is steered to %s"),
    PDB_REFUSED("a PodDisruptionBudget does not allow it now (429); tried again at the next tick"),
    POD_GONE("the pod is gone"),
    // Preemptions (evictions for queued work)
    PREEMPT_PLANNED("preemption of run %s: on %s, for %s (%s)"),
    NOT_QUEUED("%s task %d is in no queue: only queued work is preempted"),
    UNKNOWN_PREEMPTION_REASON("reason \"%s\" is not one of InClusterQueue, InCohortReclamation, "
            + "InCohortReclaimWhileBorrowing"),
    PREEMPTOR_STARTED("the job it was for, %s, runs already"),
    REASON_GONE("%s no longer holds: queue %s uses %s of its %s %s GPUs now and borrows none; a queue is never "
            + "reclaimed below its guarantee"),
    PREEMPT_DRY_RUN("dry-run (gpuplacer.kubernetes.apply is off): would evict it from %s for %s (%s)"),
    PREEMPTED("evicted from %s for %s (%s); its controller's replacement waits in its queue"),
    // Kueue's admission check (the carbon window)
    ADMIT_HELD("held: %s"),
    ADMIT_HELD_DRY_RUN("dry-run (gpuplacer.kubernetes.apply is off): would hold it: %s"),
    ADMIT_RETRY("Retry, requeued after %d s (quota released meanwhile): %s"),
    ADMIT_READY("Ready: %s; pods pinned: %s"),
    ADMIT_REJECTED("Rejected: %s"),
    ADMIT_DRY_RUN("dry-run (gpuplacer.kubernetes.apply is off): would set %s: %s"),
    NO_LONGER_WAITING("the Workload no longer waits for the check (admitted, deleted, or its quota released)"),
    // Either
    API_SERVER_REFUSED("%s"),
    // Slurm's held deferrable jobs (docs/slurm.md)
    SLURM_HANDED_BACK("begins at %s on %s (start slot %d of its window; score change %s)"),
    SLURM_DRY_RUN("dry-run (gpuplacer.slurm.apply is off): would begin at %s on %s (start slot %d of its window; "
            + "score change %s)"),
    SLURM_NODES_TO_SLURM("begins at %s; its nodes are left to Slurm: the plan put several of its tasks on %s, and "
            + "Slurm runs a job of several nodes on as many distinct ones (start slot %d of its window; score change %s)"),
    SLURMRESTD_REFUSED("%s; tried again at the next poll");

    private final String message;

    ActionReason(String message) {
        this.message = message;
    }

    /** The message with its particulars. */
    public String text(Object... particulars) {
        return String.format(Locale.ROOT, message, particulars);
    }
}
