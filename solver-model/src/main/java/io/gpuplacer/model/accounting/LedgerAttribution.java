package io.gpuplacer.model.accounting;

import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.RunningTask;

import java.util.ArrayList;
import java.util.List;

/**
 * The emission ledger's attribution (interchange v1.1 section 8) for one node over part of one hour: the node
 * draws section 6's IT watts (baseWatts plus each task's gpuBusyWatts x utilisation x GPU share) times its zone's
 * PUE while it hosts a task, or while it is alwaysOn; each task gets its own busy watts and a part of the base
 * watts (and of costPerHour) in proportion to its weight (its GPU share; a NONE task weighs cpuMillis / node
 * cpuMillis x max(gpuCount, 1)); an alwaysOn node with no task gives its base watts to the row {@code unallocated}.
 * So the rows of a node add up to what it drew: nothing is lost or counted twice.
 */
public final class LedgerAttribution {

    /**
     * One row: {@code task} null for the node's unallocated share; {@code utilization} is what the busy watts were
     * taken from (measured where telemetry gave it); {@code part} its share of the node's base watts and hourly
     * price (what else is the node's, like its embodied emissions, is split the same way).
     */
    public record Row(RunningTask task, Node node, double gpuShare, double utilization, boolean measured,
                      boolean powerMeasured, double part, double kWh, double co2eKg, double costUsd) {
    }

    private LedgerAttribution() {
    }

    /**
     * The rows of {@code node} hosting {@code tasks} for {@code hours} (0..1) at {@code gPerKWh} and
     * {@code usdPerMWh}; {@code measured[i]} is task i's measured utilisation, or NaN to take its declared one.
     * A node that is off (no task, not alwaysOn) has no row.
     */
    public static List<Row> rows(Node node, List<RunningTask> tasks, double[] measured, double hours, double gPerKWh,
                                 double usdPerMWh) {
        return rows(node, tasks, measured, null, hours, gPerKWh, usdPerMWh);
    }

    /**
     * The same, where {@code busyWatts[i]}, unless NaN (or the array null), is task i's busy watts as measured: its
     * share of its GPUs' measured draw less their idle draw, which the node's base watts already count.
     */
    public static List<Row> rows(Node node, List<RunningTask> tasks, double[] measured, double[] busyWatts,
                                 double hours, double gPerKWh, double usdPerMWh) {
        List<Row> out = new ArrayList<>();
        double pue = node.zone().pue();
        if (tasks.isEmpty()) {
            if (node.alwaysOn()) {
                double kWh = node.baseWatts() * pue * hours / 1000;
                out.add(new Row(null, node, 0, 0, false, false, 1, kWh, kWh * gPerKWh / 1000,
                        kWh * usdPerMWh / 1000 + node.costPerHour() * hours));
            }
            return out;
        }
        double[] weight = new double[tasks.size()];
        double total = 0;
        for (int i = 0; i < tasks.size(); i++) {
            weight[i] = weight(node, tasks.get(i));
            total += weight[i];
        }
        for (int i = 0; i < tasks.size(); i++) {
            RunningTask t = tasks.get(i);
            // Weights that add up to nothing (CPU-only tasks asking for no CPU) split the base evenly.
            double part = total > 0 ? weight[i] / total : 1.0 / tasks.size();
            boolean isMeasured = measured != null && !Double.isNaN(measured[i]);
            double utilization = isMeasured ? measured[i] : t.job().utilization();
            boolean powerMeasured = busyWatts != null && !Double.isNaN(busyWatts[i]);
            double busy = powerMeasured ? busyWatts[i] : node.gpuBusyWatts() * utilization * t.job().gpu().share();
            double kWh = (busy + node.baseWatts() * part) * pue * hours / 1000;
            out.add(new Row(t, node, t.job().gpu().share(), utilization, isMeasured || powerMeasured, powerMeasured,
                    part, kWh, kWh * gPerKWh / 1000,
                    kWh * usdPerMWh / 1000 + node.costPerHour() * hours * part));
        }
        return out;
    }

    /** A task's weight for the split of its node's base watts and hourly price. */
    static double weight(Node node, RunningTask task) {
        double share = task.job().gpu().share();
        if (share > 0) {
            return share;
        }
        return node.cpuMillis() == 0 ? 0 : (double) task.job().cpuMillis() / node.cpuMillis()
                * Math.max(node.gpuCount(), 1);
    }
}
