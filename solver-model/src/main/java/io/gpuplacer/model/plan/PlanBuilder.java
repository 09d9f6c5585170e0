package io.gpuplacer.model.plan;

import io.gpuplacer.model.accounting.Accounting;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.layout.NodeLayout;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.PreemptionReason;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.quota.PreemptionRules;
import io.gpuplacer.model.quota.QuotaBook;
import io.gpuplacer.model.quota.QuotaLedger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a solved {@link PlacementSolution} into the plan document: GPU indices and MIG starts from
 * {@link NodeLayout} (the same layout the score judged), moves for running tasks that change node or GPUs, the
 * preemptions decided before the search (section 9) with the reason the final plan bears out, every
 * unplaced job with a reason, and totals from {@link Accounting}. A gang that is only partly placed, or whose
 * devices could not be laid out, is reported unplaced rather than written half.
 */
public final class PlanBuilder {

    private PlanBuilder() {
    }

    public static Plan build(PlacementSolution solution, String score, boolean feasible,
                             List<Plan.ConstraintScore> constraints, List<String> extraWarnings) {
        Problem problem = solution.getProblem();
        Map<Node, List<TaskAssignment>> byNode = new LinkedHashMap<>();
        Map<Job, List<TaskAssignment>> pendingByJob = new LinkedHashMap<>();
        for (TaskAssignment task : solution.getTasks()) {
            if (task.getNode() != null) {
                byNode.computeIfAbsent(task.getNode(), n -> new ArrayList<>()).add(task);
            }
            if (!task.isRunning()) {
                pendingByJob.computeIfAbsent(task.getJob(), j -> new ArrayList<>()).add(task);
            }
        }
        Map<TaskAssignment, int[]> gpus = new IdentityHashMap<>();
        Map<TaskAssignment, Integer> migStarts = new IdentityHashMap<>();
        Set<TaskAssignment> unfit = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        byNode.forEach((node, tasks) -> {
            NodeLayout layout = NodeLayout.of(node, tasks);
            for (int i = 0; i < tasks.size(); i++) {
                if (layout.laidOut(i)) {
                    gpus.put(tasks.get(i), layout.gpus(i));
                    migStarts.put(tasks.get(i), layout.migStart(i));
                } else {
                    unfit.add(tasks.get(i));
                }
            }
        });

        QuotaLedger quotas = new QuotaLedger(solution.getTasks().isEmpty() ? QuotaBook.of(null)
                : solution.getTasks().get(0).getQuotaBook());
        solution.getTasks().stream().filter(t -> t.getNode() != null)
                .forEach(t -> quotas.commit(t, t.getNode(), t.getStartSlot()));
        List<Plan.Placement> placements = new ArrayList<>();
        List<Plan.Unplaced> unplaced = new ArrayList<>();
        pendingByJob.forEach((job, tasks) -> {
            boolean whole = tasks.stream().allMatch(t -> t.getNode() != null && !unfit.contains(t));
            Set<Integer> starts = new HashSet<>();
            tasks.forEach(t -> starts.add(t.getStartSlot()));
            if (whole && starts.size() == 1) {
                for (TaskAssignment t : tasks) {
                    placements.add(new Plan.Placement(job.id(), t.getTask(), t.getNode().id(), boxed(gpus.get(t)),
                            migStarts.get(t), t.getStartSlot()));
                }
            } else {
                unplaced.add(new Plan.Unplaced(job.id(), null, UnplacedReasons.forPendingJob(problem, tasks, quotas)));
            }
        });
        List<Plan.Move> moves = new ArrayList<>();
        List<Plan.Preemption> preemptions = new ArrayList<>();
        for (TaskAssignment t : solution.getTasks()) {
            if (!t.isRunning()) {
                continue;
            }
            var r = t.getRunning();
            if (t.isPreempted()) {
                PreemptionReason reason = PreemptionRules.reasonNow(solution.getTasks(), t);
                preemptions.add(new Plan.Preemption(r.job().id(), r.task(), r.node().id(), t.getPreemptedFor().id(),
                        reason == null ? "none" : reason.name())); // none: the validator says which rule broke
                continue;
            }
            if (t.getNode() == null) { // dropped: only allowed when its node is gone
                if (!r.node().healthy()) {
                    unplaced.add(new Plan.Unplaced(r.job().id(), r.task(), UnplacedReasons.forRunningTask(t)));
                }
                continue;
            }
            if (unfit.contains(t)) {
                continue; // the layout could not move it: it stays where it runs
            }
            int[] now = gpus.get(t);
            if (!t.getNode().equals(r.node()) || !Arrays.equals(now, r.gpus())) {
                moves.add(new Plan.Move(r.job().id(), r.task(), r.node().id(), t.getNode().id(), boxed(now),
                        migStarts.get(t)));
            }
        }
        placements.sort(Comparator.comparing(Plan.Placement::job).thenComparing(Plan.Placement::task));
        List<String> warnings = new ArrayList<>(problem.warnings());
        warnings.addAll(extraWarnings);
        Plan draft = new Plan(score, feasible, placements, unplaced, moves, preemptions, null, null, constraints,
                warnings, List.of());
        Accounting.Report report = Accounting.report(problem, draft);
        String past = pastHorizonWarning(problem, report);
        if (past != null) {
            warnings.add(past);
        }
        if (!preemptions.isEmpty()) {
            warnings.add(preemptionWarning(problem, draft, report.totals().preemptionLossGpuHours()));
        }
        Plan plan = new Plan(score, feasible, placements, unplaced, moves, preemptions, report.totals(),
                report.pastHorizon(), constraints, warnings, List.of());
        return plan.withFairness(io.gpuplacer.model.quota.FairShares.of(problem, plan));
    }

    /** What the plan's preemptions stop and lose, with the energy and CO2e the lost work had cost (section 9). */
    static String preemptionWarning(Problem problem, Plan plan, double lostGpuHours) {
        java.util.Set<String> jobs = new java.util.TreeSet<>();
        plan.preemptions().forEach(p -> jobs.add(p.job()));
        double[] spent = io.gpuplacer.model.accounting.Accounting.preemptionLossEnergy(problem, plan);
        return String.format(java.util.Locale.ROOT, "preemptions: %d running task%s stopped (%s); %.3g GPU-hours of "
                        + "work lost since their last checkpoints and to their restarts, which had drawn %.3g kWh "
                        + "(%.3g kg CO2e at their zones' intensity now)", plan.preemptions().size(),
                plan.preemptions().size() == 1 ? "" : "s", String.join(", ", jobs), lostGpuHours, spent[0], spent[1]);
    }

    /** Says how much of the totals rests on the signals extended past the horizon (v1.1), or null for none. */
    static String pastHorizonWarning(Problem problem, Accounting.Report report) {
        Plan.Totals all = report.totals();
        Plan.Totals past = report.pastHorizon();
        if (past.energyKWh() <= 0 && past.nodeCostUsd() <= 0 && past.expectedPreemptionLossGpuHours() <= 0) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "work runs past the %d-hour horizon: %.1f of %.1f kWh, %.2f of "
                        + "%.2f kg CO2e and %.2f of %.2f USD of energy cost lie there, priced by repeating each zone's "
                        + "last 24 hours (estimated; see totalsPastHorizon)", problem.horizonHours(), past.energyKWh(),
                all.energyKWh(), past.co2eKg(), all.co2eKg(), past.energyCostUsd(), all.energyCostUsd());
    }

    private static List<Integer> boxed(int[] values) {
        return values == null ? List.of() : Arrays.stream(values).boxed().toList();
    }
}
