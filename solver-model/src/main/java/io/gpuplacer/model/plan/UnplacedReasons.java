package io.gpuplacer.model.plan;

import io.gpuplacer.model.domain.SolutionFactory;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Problem;

import java.util.ArrayList;
import java.util.List;

/** Human reasons for work left unplaced: which rule blocked it, with counts of the nodes each rule excluded. */
public final class UnplacedReasons {

    private UnplacedReasons() {
    }

    /** Why a pending job's tasks are not placed, from its value ranges and the nodes each rule excluded. */
    public static String forPendingJob(Problem problem, List<TaskAssignment> tasks) {
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
        int down = 0;
        int model = 0;
        int spot = 0;
        int mig = 0;
        int small = 0;
        for (Node n : problem.nodes()) {
            if (!n.acceptsNewWork()) {
                down++;
            } else if (!job.allowsModel(n.gpuModel())) {
                model++;
            } else if (n.isSpot() && !job.preemptible()) {
                spot++;
            } else if (job.gpu().usesGpu()
                    && (job.gpu().kind() == io.gpuplacer.model.problem.GpuKind.MIG) != n.migEnabled()) {
                mig++;
            } else if (!SolutionFactory.canHost(n, job)) {
                small++;
            }
        }
        List<String> parts = new ArrayList<>();
        add(parts, down, "unhealthy or cordoned");
        add(parts, model, "another GPU model than " + job.gpuModels());
        add(parts, spot, "SPOT (the job is not preemptible)");
        add(parts, mig, job.gpu().kind() == io.gpuplacer.model.problem.GpuKind.MIG ? "without MIG" : "MIG-only");
        add(parts, small, "too small");
        return parts.isEmpty() ? "the cluster has no nodes" : String.join(", ", parts);
    }

    private static void add(List<String> parts, int count, String what) {
        if (count > 0) {
            parts.add(count + " node" + (count == 1 ? "" : "s") + " " + what);
        }
    }
}
