package io.gpuplacer.model.heuristic;

import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.PreemptionReason;
import io.gpuplacer.model.problem.QuotaUnits;
import io.gpuplacer.model.quota.PreemptionRules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides preemptions (section 9) before the search: for queued work that the greedy cannot start and that may
 * start now, highest priority first, it stops running gangs that a policy lets it preempt (P2-P4), in Kueue's
 * order (gangs of borrowing queues first, then lowest priority, then the most recently started), until the work
 * fits now; keeps only the gangs it needs; and keeps the preemption only when it pays: a queue reclaiming its
 * nominal quota (its guarantee) needs the greedy to leave less priority-weighted work unplaced; any other
 * preemption (for higher priority) needs that gain to exceed the victims' own weight, since their work goes back
 * to the queue (so a job never stops work as important as its own, and preemptions that only shuffle go). The work preempted for is pinned where it fits, at slot 0; the victims
 * are pinned off their nodes; a reclaiming queue is held within its nominal quota in slot 0 (so the reason stays
 * true). The search then plans everything else around these decisions.
 */
public final class PreemptionPlanner {

    /** Bounds on the work per solve: each try runs the greedy once more. */
    static final int MAX_PREEMPTORS = 8;
    static final int MAX_VICTIM_GANGS = 16;

    private final PlacementSolution solution;
    private final List<TaskAssignment> tasks;

    private PreemptionPlanner(PlacementSolution solution) {
        this.solution = solution;
        this.tasks = solution.getTasks();
    }

    /** Decides the preemptions on the (unsolved) solution; returns how many jobs preempt. */
    public static int plan(PlacementSolution solution) {
        if (solution.getProblem().queues().isEmpty() || solution.getTasks().isEmpty()) {
            return 0;
        }
        return new PreemptionPlanner(solution).run();
    }

    private int run() {
        Map<Job, List<TaskAssignment>> running = gangs(true);
        if (running.isEmpty()) {
            return 0;
        }
        List<GreedyPlacer.Decision> before = GreedyPlacer.place(solution);
        long unplaced = GreedyPlacer.unplacedWeight(solution, before);
        Map<Job, Boolean> placed = new HashMap<>();
        before.forEach(d -> placed.merge(d.task().getJob(), d.node() != null, Boolean::logicalAnd));
        List<List<TaskAssignment>> candidates = new ArrayList<>();
        gangs(false).forEach((job, gang) -> {
            TaskAssignment first = gang.get(0);
            if (job.queue() != null && !first.isPinned() && first.getStartRange().get(0) == 0
                    && !placed.getOrDefault(job, false) && job.quotaUnits() > 0) {
                candidates.add(gang);
            }
        });
        candidates.sort(Comparator.<List<TaskAssignment>>comparingInt(g -> -g.get(0).getJob().priority())
                .thenComparingLong(g -> -g.get(0).getUnplacedWeight() * g.size()));
        int preempting = 0;
        for (List<TaskAssignment> gang : candidates.subList(0, Math.min(MAX_PREEMPTORS, candidates.size()))) {
            Long after = tryPreemptingFor(gang, running, unplaced);
            if (after != null) {
                unplaced = after;
                preempting++;
            }
        }
        return preempting;
    }

    /** Pending (or healthy running, with a queue) tasks by job. */
    private Map<Job, List<TaskAssignment>> gangs(boolean runningWork) {
        Map<Job, List<TaskAssignment>> out = new LinkedHashMap<>();
        for (TaskAssignment t : tasks) {
            if (t.isRunning() != runningWork) {
                continue;
            }
            if (runningWork && (t.getJob().queue() == null || !t.getRunning().node().healthy())) {
                continue;
            }
            out.computeIfAbsent(t.getJob(), j -> new ArrayList<>()).add(t);
        }
        if (runningWork) { // a gang partly on a dead node cannot be preempted whole
            Map<Job, Integer> sizes = new HashMap<>();
            solution.getProblem().running().forEach(r -> sizes.merge(r.job(), 1, Integer::sum));
            out.values().removeIf(g -> g.size() != sizes.get(g.get(0).getJob()));
        }
        return out;
    }

    /** The greedy's unplaced weight with the preemption made, or null when none helps (all taken back). */
    private Long tryPreemptingFor(List<TaskAssignment> gang, Map<Job, List<TaskAssignment>> running, long unplaced) {
        Job job = gang.get(0).getJob();
        List<List<TaskAssignment>> victims = victimsFor(job, running);
        List<List<TaskAssignment>> chosen = new ArrayList<>();
        Node[] fit = null;
        for (List<TaskAssignment> victim : victims) {
            victim.forEach(t -> t.preemptFor(job));
            chosen.add(victim);
            fit = GreedyPlacer.fitNow(solution, gang);
            if (fit != null) {
                break;
            }
        }
        if (fit == null) {
            chosen.forEach(v -> v.forEach(TaskAssignment::keepRunning));
            return null;
        }
        for (int i = chosen.size() - 2; i >= 0; i--) { // keep only the gangs it needs, the last one found included
            chosen.get(i).forEach(TaskAssignment::keepRunning);
            if (GreedyPlacer.fitNow(solution, gang) != null) {
                chosen.remove(i);
            } else {
                chosen.get(i).forEach(t -> t.preemptFor(job));
            }
        }
        fit = GreedyPlacer.fitNow(solution, gang);
        if (fit == null) {
            chosen.forEach(v -> v.forEach(TaskAssignment::keepRunning));
            return null;
        }
        for (int i = 0; i < gang.size(); i++) {
            gang.get(i).pinAt(fit[i], 0);
        }
        List<String> reclaimedFlavors = new ArrayList<>();
        long after = GreedyPlacer.unplacedWeight(solution, GreedyPlacer.place(solution));
        long price = priceOfReasons(chosen, reclaimedFlavors);
        if (price < 0 || after + price >= unplaced) {
            gang.forEach(TaskAssignment::unpin);
            chosen.forEach(v -> v.forEach(TaskAssignment::keepRunning));
            return null;
        }
        reclaimedFlavors.forEach(f -> gang.get(0).getQuotaBook().keepWithinNominalNow(job.queue(), f));
        return after;
    }

    /** The running gangs a policy lets the job preempt, on flavors it may use, in Kueue's order. */
    private List<List<TaskAssignment>> victimsFor(Job job, Map<Job, List<TaskAssignment>> running) {
        record Candidate(List<TaskAssignment> gang, boolean borrowing, int priority, Instant started, double left) {
        }
        List<Candidate> candidates = new ArrayList<>();
        for (List<TaskAssignment> gang : running.values()) {
            TaskAssignment first = gang.get(0);
            if (first.isPreempted() || gang.stream().anyMatch(t -> t.getNode() == null)) {
                continue;
            }
            String flavor = first.getRunning().node().gpuModel();
            if (!job.allowsModel(flavor) || !job.queue().admits(job, flavor)) {
                continue;
            }
            double victimUse = PreemptionRules.useNow(tasks, first.getJob().queue(), flavor);
            double jobUse = PreemptionRules.useNow(tasks, job.queue(), flavor)
                    + QuotaUnits.gpus(job.quotaUnits() * job.tasks());
            if (PreemptionRules.reason(first.getJob(), flavor, job, jobUse, victimUse) == null
                    && PreemptionRules.reason(first.getJob(), flavor, job, 0, victimUse) == null) {
                continue; // no policy allows it, whether the job's queue borrows then or not
            }
            candidates.add(new Candidate(gang, PreemptionRules.borrows(first.getJob().queue(), flavor, victimUse),
                    first.getJob().priority(), first.getRunning().startedAt(), first.getRunning().remainingHours()));
        }
        candidates.sort(Comparator.comparing((Candidate c) -> !c.borrowing())
                .thenComparingInt(Candidate::priority)
                .thenComparing(Candidate::started, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(c -> -c.left()));
        return candidates.stream().limit(MAX_VICTIM_GANGS).map(Candidate::gang).toList();
    }

    /**
     * -1 unless every chosen gang has a reason now that the job is placed (the job's queue's use of each flavor
     * is known); else the priority-weighted work of the victims not taken to reclaim a guarantee. Collects the
     * flavors where the job's queue reclaims within its nominal quota.
     */
    private long priceOfReasons(List<List<TaskAssignment>> chosen, List<String> reclaimedFlavors) {
        long price = 0;
        for (List<TaskAssignment> gang : chosen) {
            for (TaskAssignment victim : gang) {
                PreemptionReason reason = PreemptionRules.reasonNow(tasks, victim);
                if (reason == null) {
                    return -1;
                }
                if (reason == PreemptionReason.InCohortReclamation) {
                    reclaimedFlavors.add(victim.getRunning().node().gpuModel());
                } else {
                    price += victim.getUnplacedWeight();
                }
            }
        }
        return price;
    }
}
