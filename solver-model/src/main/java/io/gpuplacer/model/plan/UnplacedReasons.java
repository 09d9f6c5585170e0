package io.gpuplacer.model.plan;

import io.gpuplacer.model.domain.SolutionFactory;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.quota.QuotaLedger;

import io.gpuplacer.model.rules.TaskRule;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Human reasons for work left unplaced: which rule blocked it, with counts of the nodes each rule excluded. */
public final class UnplacedReasons {

    private UnplacedReasons() {
    }

    /** Why a pending job's tasks are not placed, from its value ranges and the nodes each rule excluded. */
    public static String forPendingJob(Problem problem, List<TaskAssignment> tasks) {
        return forPendingJob(problem, tasks, null);
    }

    /**
     * The same, and when the job's queue has no room left (section 9) in any slot of its window on any flavor
     * it may use, the quota that stops it, from the use in {@code quotas} (the plan's other work).
     */
    public static String forPendingJob(Problem problem, List<TaskAssignment> tasks, QuotaLedger quotas) {
        String quota = quotas == null ? null : quotaBlock(problem, tasks, quotas);
        String reason = roomReason(problem, tasks);
        return quota == null ? reason : quota + " (" + reason + ")";
    }

    /** The quota that blocks the job at its earliest start, if every start of its window and every flavor is. */
    private static String quotaBlock(Problem problem, List<TaskAssignment> tasks, QuotaLedger quotas) {
        Job job = tasks.get(0).getJob();
        if (job.queue() == null || job.quotaUnits() == 0) {
            return null;
        }
        int earliest = problem.earliestStartSlot(job);
        int latest = problem.latestStartSlot(job);
        String first = null;
        for (String flavor : job.queue().quotas().keySet()) {
            if (!job.allowsModel(flavor)) {
                continue;
            }
            for (int s = earliest; s <= latest; s++) {
                String why = quotas.wouldBreak(job, flavor, s, tasks.get(0).endSlotFor(s),
                        job.quotaUnits() * job.tasks());
                if (why == null) {
                    return null; // room in the quota: something else stopped it
                }
                first = first == null ? why : first;
            }
        }
        return first;
    }

    private static String roomReason(Problem problem, List<TaskAssignment> tasks) {
        TaskAssignment first = tasks.get(0);
        Job job = first.getJob();
        int earliest = problem.earliestStartSlot(job);
        int latest = problem.latestStartSlot(job);
        String gang = job.tasks() + " task" + (job.tasks() == 1 ? "" : "s") + " of " + job.gpu()
                + (job.topology() == io.gpuplacer.model.problem.Topology.ANY ? "" : " (" + job.topology() + ")");
        if (earliest > latest) {
            if (job.deadline() == null) {
                return "no deadline, so it must start now, but earliestStart is slot " + earliest;
            }
            return "its window is empty: it needs " + Problem.occupiedSlots(job) + " slots from slot " + earliest
                    + " and the deadline is slot " + problem.slotFloor(job.deadline())
                    + " (the horizon ends at slot " + problem.horizonHours() + ")";
        }
        if (first.getNodeRange().isEmpty()) {
            return "no node can take " + gang + ": " + exclusions(problem, job);
        }
        if (tasks.stream().anyMatch(t -> t.getNode() != null)) {
            return "the gang could not be placed whole: " + gang;
        }
        String window = earliest == latest ? "in slot " + earliest : "in any start slot " + earliest + ".." + latest;
        return "no room for " + gang + " on its " + first.getNodeRange().size() + " eligible node"
                + (first.getNodeRange().size() == 1 ? "" : "s") + " " + window;
    }

    static String forRunningTask(TaskAssignment task) {
        var r = task.getRunning();
        if (!r.migratable()) {
            return "node " + r.node().id() + " is unhealthy and the task is not migratable";
        }
        return "node " + r.node().id() + " is unhealthy and no eligible node has room for " + r.job().gpu();
    }

    private static String exclusions(Problem problem, Job job) {
        Map<TaskRule, Integer> byRule = new EnumMap<>(TaskRule.class);
        int small = 0;
        for (Node n : problem.nodes()) {
            TaskRule broken = TaskRule.firstBroken(job, n);
            if (broken != null) {
                byRule.merge(broken, 1, Integer::sum);
            } else if (!SolutionFactory.canHost(n, job)) {
                small++;
            }
        }
        List<String> parts = new ArrayList<>();
        byRule.forEach((rule, count) -> add(parts, count, rule.excluded(job)));
        add(parts, small, "too small");
        return parts.isEmpty() ? "the cluster has no nodes" : String.join(", ", parts);
    }

    private static void add(List<String> parts, int count, String what) {
        if (count > 0) {
            parts.add(count + " node" + (count == 1 ? "" : "s") + " " + what);
        }
    }
}
