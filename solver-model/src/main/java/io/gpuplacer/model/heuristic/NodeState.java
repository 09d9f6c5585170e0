package io.gpuplacer.model.heuristic;

import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.layout.NodeLayout;
import io.gpuplacer.model.problem.CostModel;
import io.gpuplacer.model.problem.GpuKind;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.SignalSeries;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link GreedyPlacer} knows of one node: its tasks and start slots, its load per slot (kept in the shared
 * {@link FreeCapacity}), and what more tasks would cost there.
 */
final class NodeState {
    private final Node node;
    private final List<TaskAssignment> tasks = new ArrayList<>();
    private int[] starts = new int[8];
    private final FreeCapacity free;
    private final int[] occupants;
    private long violation;
    private int tailEnd; // the latest accounted end of the node's tasks (the node is on up to it)

    private final int horizon;
    private final CostModel costModel;

    NodeState(Node node, int horizon, CostModel costModel, FreeCapacity free) {
        this.node = node;
        this.horizon = horizon;
        this.costModel = costModel;
        this.free = free;
        this.occupants = new int[horizon];
    }

    /**
     * micro-USD that {@code copies} such tasks from slot s would add here (the soft score's terms), over every
     * hour they run: inside the horizon the node's base draw and hourly price count for the slots no task
     * holds it on (never for an alwaysOn node); past it the node is on up to its latest task's end, so only
     * the hours beyond that bring them.
     */
    double marginalCost(TaskAssignment task, int s, int copies) {
        Job job = task.getJob();
        double pue = node.zone().pue();
        double busyKW = node.gpuBusyWatts() * job.utilization() * job.gpu().share() * copies * pue / 1000.0;
        double baseKW = node.baseWatts() * pue / 1000.0;
        double nodeHour = costModel.nodeHoursMicroUsd(node, 1);
        SignalSeries signals = node.zone().signals();
        double total = 0;
        for (int t = s; t < task.endSlotFor(s); t++) {
            double perKWh = costModel.kWhMicroUsd(signals.priceAt(t), signals.carbonAt(t));
            total += busyKW * perKWh;
            if (occupants[t] == 0 && !node.alwaysOn()) {
                total += nodeHour + baseKW * perKWh;
            }
        }
        int end = task.accountedEndFor(s);
        if (end > horizon) {
            int from = Math.max(s, horizon);
            total += busyKW * costModel.kWhMicroUsd(signals.priceSum(from, end), signals.carbonSum(from, end));
            int offFrom = Math.max(from, tailEnd);
            if (end > offFrom) {
                total += nodeHour * (end - offFrom)
                        + baseKW * costModel.kWhMicroUsd(signals.priceSum(offFrom, end), signals.carbonSum(offFrom, end));
            }
        }
        return total;
    }

    /** Tasks committed to the node. */
    int size() {
        return tasks.size();
    }

    /** The hard shortfall of the node's layout as committed. */
    long violation() {
        return violation;
    }

    boolean accepts(List<TaskAssignment> more, int[] moreStarts) {
        return tryLayout(more, moreStarts) != null;
    }

    /** The node's layout with the extra tasks, or null when they do not all fit cleanly. */
    NodeLayout tryLayout(List<TaskAssignment> more, int[] moreStarts) {
        List<TaskAssignment> all = new ArrayList<>(tasks.size() + more.size());
        all.addAll(tasks);
        all.addAll(more);
        int[] allStarts = Arrays.copyOf(starts, all.size());
        System.arraycopy(moreStarts, 0, allStarts, tasks.size(), more.size());
        NodeLayout layout = NodeLayout.of(node, all, allStarts);
        if (layout.totalViolation() > violation) {
            return null;
        }
        for (int i = tasks.size(); i < all.size(); i++) {
            if (!layout.laidOut(i)) {
                return null;
            }
        }
        return layout;
    }

    void commit(List<TaskAssignment> more, int[] moreStarts, NodeLayout layout) {
        if (tasks.size() + more.size() > starts.length) {
            starts = Arrays.copyOf(starts, Math.max(starts.length * 2, tasks.size() + more.size()));
        }
        for (int i = 0; i < more.size(); i++) {
            TaskAssignment task = more.get(i);
            starts[tasks.size()] = moreStarts[i];
            tasks.add(task);
            load(task, moreStarts[i], 1);
            tailEnd = Math.max(tailEnd, task.accountedEndFor(moreStarts[i]));
        }
        violation = layout != null ? layout.totalViolation()
                : NodeLayout.of(node, tasks, Arrays.copyOf(starts, tasks.size())).totalViolation();
    }

    /** Drops the tasks committed after the first {@code size}, restoring the violation seen then. */
    void rollback(int size, long violationThen) {
        while (tasks.size() > size) {
            int last = tasks.size() - 1;
            load(tasks.get(last), starts[last], -1);
            tasks.remove(last);
        }
        violation = violationThen;
        tailEnd = 0;
        for (int i = 0; i < tasks.size(); i++) {
            tailEnd = Math.max(tailEnd, tasks.get(i).accountedEndFor(starts[i]));
        }
    }

    private void load(TaskAssignment task, int s, int sign) {
        Job job = task.getJob();
        long milli = job.gpu().kind() == GpuKind.NONE ? 0 : job.gpu().shareMilli();
        int end = task.endSlotFor(s);
        free.take(node.index(), s, end, milli, job.cpuMillis(), sign);
        for (int t = s; t < end; t++) {
            occupants[t] += sign;
        }
    }
}
