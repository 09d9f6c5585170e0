package io.gpuplacer.model.accounting;

import io.gpuplacer.model.accounting.Occupancy.Occupant;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.RunningTask;
import io.gpuplacer.model.problem.SignalSeries;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The accounting model of interchange-v1 section 6, the one implementation behind every total we report.
 * A node is on in a slot when it hosts a task then or is alwaysOn; an on node draws baseWatts plus, per task,
 * gpuBusyWatts x utilization x GPU share; energy is IT power x PUE over one hour.
 */
public final class Accounting {

    private Accounting() {
    }

    public static Plan.Totals totals(Problem problem, Plan plan) {
        return totals(problem, Occupancy.of(problem, plan));
    }

    public static Plan.Totals totals(Problem problem, List<Occupant> occupants) {
        int horizon = problem.horizonHours();
        int nodeCount = problem.nodes().size();
        boolean[][] on = new boolean[nodeCount][horizon];
        double[][] busyWatts = new double[nodeCount][horizon];
        Map<String, Double> runningGangShare = new HashMap<>();
        for (RunningTask r : problem.running()) {
            runningGangShare.merge(r.job().id(), r.job().gpu().share(), Double::sum);
        }
        double lossGpuHours = 0;
        double placedShare = 0;
        for (Occupant o : occupants) {
            Node node = o.node();
            Job job = o.job();
            double share = job.gpu().share();
            for (int t = o.start(); t < o.end(); t++) {
                on[node.index()][t] = true;
                busyWatts[node.index()][t] += node.gpuBusyWatts() * job.utilization() * share;
            }
            if (node.isSpot()) {
                double gangShare = o.running() ? runningGangShare.getOrDefault(job.id(), share) : job.tasks() * share;
                lossGpuHours += node.interruptionPerHour() * (o.end() - o.start()) * job.lossHoursPerInterruption()
                        * gangShare;
            }
            if (!o.running()) {
                placedShare += share;
            }
        }
        double energy = 0;
        double co2 = 0;
        double cost = 0;
        double nodeCost = 0;
        for (Node node : problem.nodes()) {
            SignalSeries signal = node.zone().signals();
            for (int t = 0; t < horizon; t++) {
                if (!on[node.index()][t] && !node.alwaysOn()) {
                    continue;
                }
                double kWh = (node.baseWatts() + busyWatts[node.index()][t]) * node.zone().pue() / 1000.0;
                energy += kWh;
                co2 += kWh * signal.carbonGPerKWh()[t] / 1000.0;
                cost += kWh * signal.priceUsdPerMWh()[t] / 1000.0;
                nodeCost += node.costPerHour();
            }
        }
        return new Plan.Totals(energy, co2, cost, nodeCost, lossGpuHours, placedShare);
    }
}
