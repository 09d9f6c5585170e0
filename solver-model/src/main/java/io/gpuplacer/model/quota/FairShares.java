package io.gpuplacer.model.quota;

import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.Queue;
import io.gpuplacer.model.problem.Quota;
import io.gpuplacer.model.problem.QuotaUnits;
import io.gpuplacer.model.problem.RunningTask;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Fairness as section 9 reports it, for a plan in slot 0: each queue's weighted share (Kueue's: the most it borrows
 * of any flavor, per 1000 of what its cohort lends of it, over its fairShareWeight) with the plan carried out
 * (running work that stays or moves, placements at slot 0, not the preempted), and Jain's index of the weighted
 * shares over the queues with unplaced work.
 */
public final class FairShares {

    private FairShares() {
    }

    /** The plan's fairness, or null when the problem has no queues. */
    public static Plan.Fairness of(Problem problem, Plan plan) {
        if (problem.queues().isEmpty()) {
            return null;
        }
        Map<String, Job> jobs = new HashMap<>();
        problem.jobs().forEach(j -> jobs.put(j.id(), j));
        Map<Queue, Map<String, Long>> use = use(problem, plan, jobs);
        Map<String, Double> shares = new LinkedHashMap<>();
        for (Queue q : problem.queues()) {
            double share = 0;
            for (Map.Entry<String, Quota> e : q.quotas().entrySet()) {
                double lends = 0;
                for (Queue other : problem.queues()) {
                    if (sameCohort(q, other) && other.quota(e.getKey()) != null) {
                        lends += other.quota(e.getKey()).lendable();
                    }
                }
                double borrowed = Math.max(0, QuotaUnits.gpus(use.getOrDefault(q, Map.of()).getOrDefault(e.getKey(),
                        0L)) - e.getValue().nominal());
                if (lends > 0) {
                    share = Math.max(share, borrowed * 1000 / lends / q.fairShareWeight());
                }
            }
            shares.put(q.id(), Math.round(share * 1000) / 1000.0);
        }
        Set<String> waiting = new HashSet<>();
        for (Plan.Unplaced u : plan.unplaced()) {
            Job j = jobs.get(u.job());
            if (u.task() == null && j != null && j.queue() != null) {
                waiting.add(j.queue().id());
            }
        }
        return new Plan.Fairness(shares, jain(shares, waiting));
    }

    /** Jain's index (sum)^2 / (n x sum of squares) of the shares of these queues; 1 when all are 0; null for none. */
    static Double jain(Map<String, Double> shares, Set<String> queues) {
        if (queues.isEmpty()) {
            return null;
        }
        double sum = 0;
        double squares = 0;
        for (String q : queues) {
            double s = shares.getOrDefault(q, 0.0);
            sum += s;
            squares += s * s;
        }
        return squares == 0 ? 1.0 : Math.round(sum * sum / (queues.size() * squares) * 1e6) / 1e6;
    }

    private static boolean sameCohort(Queue a, Queue b) {
        return a.equals(b) || (a.cohort() != null && a.cohort().equals(b.cohort()));
    }

    /** Quota units per queue and flavor in slot 0 with the plan carried out. */
    private static Map<Queue, Map<String, Long>> use(Problem problem, Plan plan, Map<String, Job> jobs) {
        Set<String> preempted = new HashSet<>();
        plan.preemptions().forEach(p -> preempted.add(p.job() + "#" + p.task()));
        Map<String, String> movedTo = new HashMap<>();
        plan.moves().forEach(m -> movedTo.put(m.job() + "#" + m.task(), m.toNode()));
        Map<Queue, Map<String, Long>> use = new HashMap<>();
        for (RunningTask r : problem.running()) {
            String key = r.job().id() + "#" + r.task();
            if (r.job().queue() == null || preempted.contains(key) || r.occupiedSlots(problem.horizonHours()) == 0) {
                continue;
            }
            Node node = movedTo.containsKey(key) ? problem.node(movedTo.get(key)) : r.node();
            if (node != null) {
                use.computeIfAbsent(r.job().queue(), q -> new HashMap<>()).merge(node.gpuModel(),
                        r.job().quotaUnits(), Long::sum);
            }
        }
        for (Plan.Placement p : plan.placements()) {
            Job j = jobs.get(p.job());
            Node node = problem.node(p.node());
            if (p.startSlot() == 0 && j != null && j.queue() != null && node != null) {
                use.computeIfAbsent(j.queue(), q -> new HashMap<>()).merge(node.gpuModel(), j.quotaUnits(),
                        Long::sum);
            }
        }
        return use;
    }
}
