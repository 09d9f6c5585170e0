package io.gpuplacer.model.domain;

import ai.timefold.solver.core.api.domain.solution.ConstraintWeightOverrides;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import io.gpuplacer.model.problem.CostModel;
import io.gpuplacer.model.problem.GpuDemand;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.RunningTask;
import io.gpuplacer.model.problem.Topology;
import io.gpuplacer.model.rules.TaskRule;
import io.gpuplacer.model.problem.WorkloadProfile;
import io.gpuplacer.model.quota.QuotaBook;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Builds the planning solution from a validated problem: one entity per task, with the value ranges filtered up
 * front so the search never tries a node that breaks a per-task rule (health, cordon, GPU model, spot, MIG kind,
 * size) or a start slot outside the job's window. Work that fits nowhere by those rules is pinned unplaced.
 */
public final class SolutionFactory {

    private SolutionFactory() {
    }

    /** Placement only: no prices, default constraint weights. */
    public static PlacementSolution build(Problem problem) {
        return build(problem, CostModel.free(), ConstraintWeightOverrides.none());
    }

    /**
     * The solution with the given prices and constraint weights. Without a workload profile in the prices, it is
     * measured here from the problem's jobs and running tasks.
     */
    public static PlacementSolution build(Problem problem, CostModel prices,
                                          ConstraintWeightOverrides<HardMediumSoftLongScore> overrides) {
        CostModel costModel = !prices.workload().classes().isEmpty() ? prices
                : prices.withWorkload(WorkloadProfile.of(problem));
        int horizon = problem.horizonHours();
        List<Job> jobs = new ArrayList<>(problem.jobs());
        List<TaskAssignment> tasks = new ArrayList<>();
        NodeRanges ranges = new NodeRanges(problem);
        Map<String, Job> runningJobs = new HashMap<>();
        List<Integer> slotZero = List.of(0);
        Map<String, Double> runningGangShare = new HashMap<>();
        for (RunningTask r : problem.running()) {
            runningGangShare.merge(r.job().id(), r.job().gpu().share(), Double::sum);
        }
        for (RunningTask r : problem.running()) {
            if (runningJobs.putIfAbsent(r.job().id(), r.job()) == null) {
                jobs.add(r.job());
            }
            int occupied = r.occupiedSlots();
            List<Node> eligible = ranges.of(r.job());
            TaskAssignment entity;
            if (r.node().healthy()) {
                List<Node> range = r.migratable() ? ranges.withNode(r.job(), r.node()) : List.of(r.node());
                entity = new TaskAssignment(r.job(), r.task(), r, occupied, 0, 0, horizon, range, slotZero,
                        !r.migratable(), runningGangShare.get(r.job().id()));
                entity.setNode(r.node());
            } else {
                // Its node is gone: it must move (if it can) or be reported unplaced.
                List<Node> range = r.migratable() ? eligible : List.of();
                entity = new TaskAssignment(r.job(), r.task(), r, occupied, 0, 0, horizon, range, slotZero,
                        range.isEmpty(), runningGangShare.get(r.job().id()));
            }
            entity.setStartSlot(0);
            tasks.add(entity);
        }
        for (Job job : problem.jobs()) {
            tasks.addAll(pendingTasks(problem, job, ranges));
        }
        QuotaBook quotas = QuotaBook.of(problem);
        tasks.forEach(t -> t.setQuotaBook(quotas));
        return new PlacementSolution(problem, problem.nodes(), List.copyOf(jobs), costModel, overrides, tasks);
    }

    /**
     * The unassigned entities of one pending job (one per task), with its value ranges; pinned unplaced when no
     * node or start slot can take it. {@code job} need not be in the problem's queue (the oracle's requests).
     */
    public static List<TaskAssignment> pendingTasks(Problem problem, Job job, NodeRanges ranges) {
        int earliest = problem.earliestStartSlot(job);
        int latest = problem.latestStartSlot(job);
        List<Node> range = ranges.of(job);
        boolean placeable = earliest <= latest && !range.isEmpty();
        List<Integer> starts = placeable ? IntStream.rangeClosed(earliest, latest).boxed().toList() : List.of(0);
        List<TaskAssignment> tasks = new ArrayList<>(job.tasks());
        for (int t = 0; t < job.tasks(); t++) {
            TaskAssignment entity = new TaskAssignment(job, t, null, Problem.occupiedSlots(job), earliest, latest,
                    problem.horizonHours(), placeable ? range : List.of(), starts, !placeable,
                    job.tasks() * job.gpu().share());
            entity.setStartSlot(starts.get(0));
            tasks.add(entity);
        }
        return tasks;
    }

    /** The per-task rules ({@link TaskRule}: health, cordon, GPU model, spot, MIG kind) and the size of one task (or gang). */
    public static boolean canHost(Node node, Job job) {
        GpuDemand demand = job.gpu();
        if (TaskRule.firstBroken(job, node) != null) {
            return false;
        }
        if (job.cpuMillis() > node.cpuMillis() || job.memoryMiB() > node.memoryMiB()) {
            return false;
        }
        int gangTasks = job.topology().requiresOneNode() ? Math.max(1, job.tasks()) : 1;
        if (gangTasks * job.cpuMillis() > node.cpuMillis() || gangTasks * job.memoryMiB() > node.memoryMiB()) {
            return false;
        }
        return switch (demand.kind()) {
            case WHOLE -> {
                int need = demand.count() * gangTasks;
                if (job.topology() == Topology.ISLAND) {
                    yield node.islands().stream().anyMatch(island -> island.size() >= need);
                }
                yield node.gpuCount() >= need;
            }
            case SHARED -> node.gpuCount() >= 1;
            case MIG -> node.migProfiles().containsKey(demand.migProfile());
            case NONE -> true;
        };
    }
}
