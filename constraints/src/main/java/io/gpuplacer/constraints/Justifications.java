package io.gpuplacer.constraints;

import ai.timefold.solver.core.api.score.stream.ConstraintJustification;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.layout.NodeLayout;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.quota.CohortFlavor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Why a constraint matched, in words, naming the job, task and node, so that analysis answers "why is my job
 * pending, moved or not here". Node-wide matches (capacity, energy, node hours, carbon, fragmentation) list the
 * jobs on the node with the part of the node's use each has (GPU share x slots, CPU for CPU-only tasks).
 */
public final class Justifications {

    private Justifications() {
    }

    /** A match about one task. */
    public record TaskMatch(String job, int task, String node, String description) implements ConstraintJustification {
    }

    /** A match about one job as a whole (a gang's placement, topology). */
    public record JobMatch(String job, String description) implements ConstraintJustification {
    }

    /** A match about a node and the jobs on it, with each job's part of the node's use (summing to 1). */
    public record NodeMatch(String node, Map<String, Double> jobParts, String description)
            implements ConstraintJustification {
    }

    /** A match about the quota of one cohort and flavor (section 9). */
    public record QuotaMatch(String cohort, String flavor, String description) implements ConstraintJustification {
    }

    static QuotaMatch quota(CohortFlavor group, String description) {
        return new QuotaMatch(group.cohort(), group.flavor(), description);
    }

    static TaskMatch task(TaskAssignment t, String description) {
        return new TaskMatch(t.getJob().id(), t.getTask(), t.getNode() == null ? null : t.getNode().id(),
                description);
    }

    static JobMatch job(Job job, String description) {
        return new JobMatch(job.id(), description);
    }

    static NodeMatch node(NodeLayout layout, String description) {
        Map<String, Double> weights = new LinkedHashMap<>();
        double total = 0;
        List<TaskAssignment> tasks = new ArrayList<>(layout.tasks());
        for (TaskAssignment t : tasks) {
            Job job = t.getJob();
            double use = (job.gpu().usesGpu() ? job.gpu().share() : job.cpuMillis() / 32000.0)
                    * Math.max(1, t.accountedEndFor(t.getStartSlot()) - t.getStartSlot());
            weights.merge(job.id(), use, Double::sum);
            total += use;
        }
        if (total > 0) {
            double sum = total;
            weights.replaceAll((k, v) -> v / sum);
        }
        return new NodeMatch(layout.node().id(), weights, layout.node().id() + ": " + description);
    }

    static String usd(long microUsd) {
        return String.format(Locale.ROOT, "%.2f USD", microUsd / 1e6);
    }
}
