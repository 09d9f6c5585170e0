package io.gpuplacer.model;

import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.RunningTask;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The totals of interchange v1.1 section 6 recomputed straight from its text, slot by slot, sharing no code with
 * {@code Accounting}, {@code Occupancy} or the meter: the test oracle for every plan's totals. Slow on purpose
 * (every node in every slot up to the last one any task occupies); for test-sized problems only.
 */
public final class IndependentTotals {

    private record Run(Job job, Node node, int start, int end, boolean pending) {
    }

    private IndependentTotals() {
    }

    public static Plan.Totals of(Problem problem, Plan plan) {
        int horizon = problem.horizonHours();
        Map<String, Node> nodes = new HashMap<>();
        problem.nodes().forEach(n -> nodes.put(n.id(), n));
        Map<String, Job> jobs = new HashMap<>();
        problem.jobs().forEach(j -> jobs.put(j.id(), j));
        Map<String, String> movedTo = new HashMap<>();
        plan.moves().forEach(m -> movedTo.put(m.job() + "#" + m.task(), m.toNode()));
        List<Run> runs = new ArrayList<>();
        Map<String, Double> gangShare = new HashMap<>();
        for (RunningTask r : problem.running()) {
            String to = movedTo.get(r.job().id() + "#" + r.task());
            Node node = to != null ? nodes.get(to) : r.node().healthy() ? r.node() : null;
            gangShare.merge("run:" + r.job().id(), r.job().gpu().share(), Double::sum);
            if (node != null) {
                runs.add(new Run(r.job(), node, 0, (int) Math.ceil(r.remainingHours()), false));
            }
        }
        double placed = 0;
        for (Plan.Placement p : plan.placements()) {
            Job job = jobs.get(p.job());
            runs.add(new Run(job, nodes.get(p.node()), p.startSlot(),
                    p.startSlot() + (int) Math.ceil(job.durationHours()), true));
            gangShare.put("job:" + job.id(), job.tasks() * job.gpu().share());
            placed += job.gpu().share();
        }
        int last = horizon;
        for (Run r : runs) {
            last = Math.max(last, r.end());
        }
        double kWh = 0;
        double kg = 0;
        double usd = 0;
        double nodeUsd = 0;
        double loss = 0;
        for (Node node : problem.nodes()) {
            for (int t = 0; t < last; t++) {
                double watts = node.baseWatts();
                boolean hosts = false;
                Set<String> gangsHere = new HashSet<>();
                for (Run r : runs) {
                    if (r.node() == node && r.start() <= t && t < r.end()) {
                        hosts = true;
                        watts += node.gpuBusyWatts() * r.job().utilization() * r.job().gpu().share();
                        gangsHere.add((r.pending() ? "job:" : "run:") + r.job().id());
                    }
                }
                if (!hosts && !(node.alwaysOn() && t < horizon)) {
                    continue;
                }
                int source = valueSlot(t, horizon);
                double energy = watts * node.zone().pue() / 1000.0;
                kWh += energy;
                kg += energy * node.zone().signals().carbonGPerKWh()[source] / 1000.0;
                usd += energy * node.zone().signals().priceUsdPerMWh()[source] / 1000.0;
                nodeUsd += node.costPerHour();
                if (node.isSpot()) {
                    for (String gang : gangsHere) {
                        Job job = gang.startsWith("job:") ? jobs.get(gang.substring(4)) : runs.stream()
                                .filter(r -> !r.pending() && r.job().id().equals(gang.substring(4))).findFirst()
                                .orElseThrow().job();
                        loss += node.interruptionPerHour() * (job.checkpointMinutes() / 2 + job.restartMinutes()) / 60
                                * gangShare.get(gang);
                    }
                }
            }
        }
        return new Plan.Totals(kWh, kg, usd, nodeUsd, loss, placed);
    }

    /** Section 6: past the horizon hour t takes hour t - 24's value until inside; the last hour's if shorter. */
    static int valueSlot(int t, int horizon) {
        if (horizon < 24) {
            return Math.min(t, horizon - 1);
        }
        int s = t;
        while (s >= horizon) {
            s -= 24;
        }
        return s;
    }
}
