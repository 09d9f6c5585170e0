package io.gpuplacer.model.accounting;

import io.gpuplacer.model.accounting.Occupancy.Occupant;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.RunningTask;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The accounting model of interchange v1.1 section 6, the one implementation behind every total we report.
 * Every hour a task runs is counted, past the horizon too (priced by the zones' extended series); a node is on
 * in a slot when it hosts a task then or is alwaysOn inside the horizon ({@link EnergyMeter}); spot losses are
 * counted once per gang, SPOT node and slot ({@link SpotLoss}).
 */
public final class Accounting {

    /** The totals, and the part of each that lies past the horizon (resting on the extended signals). */
    public record Report(Plan.Totals totals, Plan.Totals pastHorizon) {
    }

    private Accounting() {
    }

    public static Plan.Totals totals(Problem problem, Plan plan) {
        return report(problem, plan).totals();
    }

    public static Plan.Totals totals(Problem problem, List<Occupant> occupants) {
        return report(problem, occupants).totals();
    }

    public static Report report(Problem problem, Plan plan) {
        Report occupied = report(problem, Occupancy.of(problem, plan));
        double lost = preemptionLoss(problem, plan);
        Plan.Totals t = occupied.totals();
        return new Report(new Plan.Totals(t.energyKWh(), t.co2eKg(), t.energyCostUsd(), t.nodeCostUsd(),
                t.expectedPreemptionLossGpuHours(), t.placedGpuShare(), lost), occupied.pastHorizon());
    }

    /**
     * GPU-hours of work the plan's preemptions lose (section 9): per preempted task, half a checkpoint interval
     * plus the restart, times its GPU share. Entries naming no running task are the validator's to report.
     */
    public static double preemptionLoss(Problem problem, Plan plan) {
        double lost = 0;
        for (RunningTask r : preempted(problem, plan)) {
            lost += r.job().lossHoursPerInterruption() * r.job().gpu().share();
        }
        return lost;
    }

    /**
     * What the work the preemptions lose had drawn (section 9 reports it): per preempted task, the hours lost (half a
     * checkpoint plus the restart) x its draw while it ran (busy watts x utilization x GPU share, plus its GPU
     * share's part of the node's base watts) x PUE, in kWh; and that energy x its zone's intensity in slot 0 (the
     * work ran just before), in kg CO2e. {kWh, kg}.
     */
    public static double[] preemptionLossEnergy(Problem problem, Plan plan) {
        double kWh = 0;
        double kg = 0;
        for (RunningTask r : preempted(problem, plan)) {
            double share = r.job().gpu().share();
            double watts = r.node().gpuBusyWatts() * r.job().utilization() * share
                    + r.node().baseWatts() * share / Math.max(1, r.node().gpuCount());
            double e = r.job().lossHoursPerInterruption() * watts * r.node().zone().pue() / 1000;
            kWh += e;
            kg += e * r.node().zone().signals().carbonAt(0) / 1000;
        }
        return new double[]{kWh, kg};
    }

    /** The running tasks the plan preempts, each once; entries naming no running task are the validator's. */
    private static List<RunningTask> preempted(Problem problem, Plan plan) {
        Map<String, RunningTask> running = new HashMap<>();
        problem.running().forEach(r -> running.put(r.job().id() + "#" + r.task(), r));
        List<RunningTask> out = new ArrayList<>();
        for (Plan.Preemption p : Occupancy.nullSafe(plan.preemptions())) {
            RunningTask r = running.remove(p.job() + "#" + p.task()); // removed: a task listed twice counts once
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    /** The totals of the occupants alone (no preemptions: preemptionLossGpuHours is 0). */
    public static Report report(Problem problem, List<Occupant> occupants) {
        int horizon = problem.horizonHours();
        Map<Node, List<Occupant>> byNode = new HashMap<>();
        Map<String, Double> runningGangShare = new HashMap<>();
        for (RunningTask r : problem.running()) {
            runningGangShare.merge(r.job().id(), r.job().gpu().share(), Double::sum);
        }
        double placedShare = 0;
        for (Occupant o : occupants) {
            byNode.computeIfAbsent(o.node(), k -> new ArrayList<>()).add(o);
            if (!o.running()) {
                placedShare += o.job().gpu().share();
            }
        }
        double energy = 0, co2 = 0, cost = 0, nodeCost = 0, loss = 0, lossPast = 0;
        double energyPast = 0, co2Past = 0, costPast = 0, nodeCostPast = 0;
        for (Node node : problem.nodes()) {
            List<Occupant> here = byNode.getOrDefault(node, List.of());
            int n = here.size();
            int[] starts = new int[n];
            int[] ends = new int[n];
            double[] busy = new double[n];
            for (int i = 0; i < n; i++) {
                Occupant o = here.get(i);
                starts[i] = o.start();
                ends[i] = o.end();
                busy[i] = node.gpuBusyWatts() * o.job().utilization() * o.job().gpu().share();
            }
            EnergyMeter.Reading r = EnergyMeter.read(node, horizon, n, starts, ends, busy, EnergyMeter.Mode.TOTAL);
            energy += r.kWh();
            co2 += r.co2eGrams() / 1000.0;
            cost += r.energyCostUsd();
            nodeCost += r.onSlots() * node.costPerHour();
            energyPast += r.extendedKWh();
            co2Past += r.extendedCo2eGrams() / 1000.0;
            costPast += r.extendedEnergyCostUsd();
            nodeCostPast += r.extendedOnSlots() * node.costPerHour();
            if (node.isSpot()) {
                double[] gangLoss = spotLoss(node, here, horizon, runningGangShare);
                loss += gangLoss[0];
                lossPast += gangLoss[1];
            }
        }
        return new Report(new Plan.Totals(energy, co2, cost, nodeCost, loss, placedShare),
                new Plan.Totals(energyPast, co2Past, costPast, nodeCostPast, lossPast, 0.0));
    }

    /** The node's expected loss, summed per gang over the slots the gang is on it: in all, and past the horizon. */
    private static double[] spotLoss(Node node, List<Occupant> here, int horizon, Map<String, Double> runningShare) {
        Map<Job, List<Occupant>> byGang = new LinkedHashMap<>();
        here.forEach(o -> byGang.computeIfAbsent(o.job(), k -> new ArrayList<>()).add(o));
        double all = 0;
        double past = 0;
        for (Map.Entry<Job, List<Occupant>> gang : byGang.entrySet()) {
            Job job = gang.getKey();
            List<Occupant> tasks = gang.getValue();
            int n = tasks.size();
            int[] starts = new int[n];
            int[] ends = new int[n];
            int[] pastStarts = new int[n];
            for (int i = 0; i < n; i++) {
                starts[i] = tasks.get(i).start();
                ends[i] = tasks.get(i).end();
                pastStarts[i] = Math.max(horizon, starts[i]);
            }
            double share = job.running() ? runningShare.getOrDefault(job.id(), job.gpu().share())
                    : job.tasks() * job.gpu().share();
            all += SpotLoss.gpuHours(node, job, share, SpotLoss.unionSlots(n, starts, ends));
            past += SpotLoss.gpuHours(node, job, share, SpotLoss.unionSlots(n, pastStarts, ends));
        }
        return new double[]{all, past};
    }
}
