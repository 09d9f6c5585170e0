package io.gpuplacer.model.accounting;

import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.RunningTask;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What runs where and when once a plan is applied (section 5): running tasks on their node or the node they move
 * to, over slots 0..ceil(remainingHours)-1; placed tasks from their start slot for ceil(durationHours) slots; not
 * cut at the horizon (v1.1: every hour a task runs is accounted for; the hard rules look only inside it). A
 * running task on an unhealthy node that is not moved is gone, and so is a preempted one (v1.2: its resources
 * are free from slot 0). Entries naming an unknown job or node, or starting
 * outside the horizon, are skipped here: the validator reports them.
 */
public final class Occupancy {

    /** One task on one node over slots [start, end); end may lie past the horizon. */
    public record Occupant(Job job, int task, Node node, List<Integer> gpus, Integer migStart, int start, int end,
                           boolean running, boolean moved) {
    }

    private Occupancy() {
    }

    public static List<Occupant> of(Problem problem, Plan plan) {
        int horizon = problem.horizonHours();
        Map<String, Node> nodes = new HashMap<>();
        problem.nodes().forEach(n -> nodes.put(n.id(), n));
        Map<String, Job> jobs = new HashMap<>();
        problem.jobs().forEach(j -> jobs.put(j.id(), j));
        Map<String, Plan.Move> moves = new HashMap<>();
        for (Plan.Move m : nullSafe(plan.moves())) {
            moves.put(m.job() + "#" + m.task(), m);
        }
        java.util.Set<String> preempted = new java.util.HashSet<>();
        for (Plan.Preemption p : nullSafe(plan.preemptions())) {
            preempted.add(p.job() + "#" + p.task());
        }
        List<Occupant> out = new ArrayList<>();
        for (RunningTask r : problem.running()) {
            if (preempted.contains(r.job().id() + "#" + r.task())) {
                continue;
            }
            Plan.Move move = moves.get(r.job().id() + "#" + r.task());
            int end = r.occupiedSlots();
            if (move != null) {
                Node to = nodes.get(move.toNode());
                if (to != null) {
                    out.add(new Occupant(r.job(), r.task(), to, nullSafe(move.gpus()), move.migStart(), 0, end, true,
                            true));
                }
            } else if (r.node().healthy()) {
                out.add(new Occupant(r.job(), r.task(), r.node(), Arrays.stream(r.gpus()).boxed().toList(),
                        r.migStart(), 0, end, true, false));
            }
        }
        for (Plan.Placement p : nullSafe(plan.placements())) {
            Job job = jobs.get(p.job());
            Node node = nodes.get(p.node());
            if (job == null || node == null || p.startSlot() < 0 || p.startSlot() >= horizon) {
                continue;
            }
            int end = p.startSlot() + Problem.occupiedSlots(job);
            out.add(new Occupant(job, p.task(), node, nullSafe(p.gpus()), p.migStart(), p.startSlot(), end, false,
                    false));
        }
        return out;
    }

    static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
