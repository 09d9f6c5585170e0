package io.gpuplacer.model.quota;

import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.PreemptionReason;
import io.gpuplacer.model.problem.Queue;
import io.gpuplacer.model.problem.Quota;
import io.gpuplacer.model.problem.QuotaUnits;

import java.util.List;

/**
 * Rules P2-P4 of section 9 as the planner applies them: which reason, if any, lets a running task of one job be
 * preempted for another, given what the queues use of the victim's flavor in slot 0.
 */
public final class PreemptionRules {

    private PreemptionRules() {
    }

    /**
     * GPU share the queue's assigned work holds of the flavor in slot 0: running tasks that stay or move, and
     * placements starting at 0; preempted tasks and later starts do not count.
     */
    public static double useNow(List<TaskAssignment> tasks, Queue queue, String flavor) {
        long units = 0;
        for (TaskAssignment t : tasks) {
            if (t.getNode() != null && queue.equals(t.getJob().queue()) && t.getNode().gpuModel().equals(flavor)
                    && (t.isRunning() || t.getStartSlot() == 0) && t.getOccupiedSlots() > 0) {
                units += t.getJob().quotaUnits();
            }
        }
        return QuotaUnits.gpus(units);
    }

    /**
     * The reason a task of {@code victim} running on {@code flavor} may be preempted for {@code job}, or null when
     * no rule allows it. {@code jobQueueUse}: what the job's queue uses of the flavor in slot 0 with the job
     * placed; {@code victimQueueUse}: what the victim's queue uses of it before the preemptions.
     */
    public static PreemptionReason reason(Job victim, String flavor, Job job, double jobQueueUse,
                                          double victimQueueUse) {
        Queue vq = victim.queue();
        Queue jq = job.queue();
        if (vq == null || jq == null || victim.equals(job)) {
            return null;
        }
        int vp = victim.priority();
        int p = job.priority();
        if (vq.equals(jq)) {
            return jq.preemption().withinQueue().allows(vp, p) ? PreemptionReason.InClusterQueue : null;
        }
        if (jq.cohort() == null || !jq.cohort().equals(vq.cohort())
                || victimQueueUse <= nominal(vq, flavor) + QuotaUnits.TOLERANCE_GPUS) {
            return null; // another cohort, or the victim's queue does not borrow: nothing to reclaim
        }
        if (jobQueueUse <= nominal(jq, flavor) + QuotaUnits.TOLERANCE_GPUS) {
            return jq.preemption().reclaimWithinCohort().allows(vp, p) ? PreemptionReason.InCohortReclamation : null;
        }
        return jq.preemption().borrowWithinCohort().allows(vp, p) ? PreemptionReason.InCohortReclaimWhileBorrowing
                : null;
    }

    /**
     * The reason for a preempted task as the assignment stands (null when no rule allows it): the job's queue's
     * use of the victim's flavor in slot 0 as assigned, the victim's queue's use before the preemptions.
     */
    public static PreemptionReason reasonNow(List<TaskAssignment> tasks, TaskAssignment victim) {
        Job job = victim.getPreemptedFor();
        Queue vq = victim.getJob().queue();
        String flavor = victim.getRunning().node().gpuModel();
        if (job == null || vq == null || job.queue() == null) {
            return null;
        }
        double victimUse = useNow(tasks, vq, flavor) + preemptedUse(tasks, vq, flavor);
        return reason(victim.getJob(), flavor, job, useNow(tasks, job.queue(), flavor), victimUse);
    }

    /** GPU share of the queue's preempted tasks on the flavor in slot 0. */
    static double preemptedUse(List<TaskAssignment> tasks, Queue queue, String flavor) {
        long units = 0;
        for (TaskAssignment t : tasks) {
            if (t.isPreempted() && queue.equals(t.getJob().queue())
                    && t.getRunning().node().gpuModel().equals(flavor) && t.getOccupiedSlots() > 0) {
                units += t.getJob().quotaUnits();
            }
        }
        return QuotaUnits.gpus(units);
    }

    /** Whether the victim's queue uses more than its nominal quota of the flavor (it borrows). */
    public static boolean borrows(Queue queue, String flavor, double use) {
        return use > nominal(queue, flavor) + QuotaUnits.TOLERANCE_GPUS;
    }

    private static double nominal(Queue queue, String flavor) {
        Quota quota = queue.quota(flavor);
        return quota == null ? 0 : quota.nominal();
    }
}
