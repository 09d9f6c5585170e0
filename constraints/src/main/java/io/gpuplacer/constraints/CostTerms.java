package io.gpuplacer.constraints;

import io.gpuplacer.model.accounting.SpotLoss;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.layout.NodeLayout;
import io.gpuplacer.model.problem.CostModel;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.QuotaUnits;

import java.util.List;

/**
 * The soft terms in micro-USD, one function each, shared by the constraints and the placement oracle so both
 * price a node or a task the same way. All return a cost (positive = worse); energy and fragmentation may be
 * negative (negative prices, less fragmented than empty).
 */
public final class CostTerms {

    private CostTerms() {
    }

    /** The node's marginal energy at the zone's hourly price (past the horizon too): USD x 10^6. */
    public static long energy(NodeLayout layout, CostModel cost) {
        return Math.round(cost.energyMicroUsd(layout.energy().energyCostUsd()));
    }

    /** Hours the node is on because of its tasks, at its hourly price. */
    public static long nodeHours(NodeLayout layout, CostModel cost) {
        return Math.round(cost.nodeHoursMicroUsd(layout.node(), layout.onSlots()));
    }

    /** The node's marginal emissions: grams x USD/t (= micro-USD per gram). */
    public static long carbon(NodeLayout layout, CostModel cost) {
        return Math.round(cost.carbonMicroUsd(layout.energy().co2eGrams()));
    }

    /** FGD's fragmentation of the node relative to empty, in GPU-hours, at its price. */
    public static long fragmentation(NodeLayout layout, CostModel cost) {
        return Math.round(layout.fragmentation(cost.workload()) / 1000.0 * cost.fragmentationUsdPerGpuHour()
                * CostModel.MICRO);
    }

    /**
     * Expected loss of a gang on a SPOT node over {@code slots} slots in which the node hosts at least one of its
     * tasks (v1.1: once per gang, node and slot), at the price of a GPU-hour; 0 elsewhere.
     */
    public static long preemption(Job job, double gangShare, Node node, long slots, CostModel cost) {
        return Math.round(SpotLoss.gpuHours(node, job, gangShare, slots) * cost.preemptionLossUsdPerGpuHour()
                * CostModel.MICRO);
    }

    /** The same for the tasks of one gang on one node, over the union of their slots (past the horizon too). */
    public static long preemption(List<TaskAssignment> gangOnNode, Node node, CostModel cost) {
        int n = gangOnNode.size();
        int[] starts = new int[n];
        int[] ends = new int[n];
        for (int i = 0; i < n; i++) {
            TaskAssignment t = gangOnNode.get(i);
            starts[i] = t.getStartSlot();
            ends[i] = t.accountedEndFor(starts[i]);
        }
        TaskAssignment first = gangOnNode.get(0);
        return preemption(first.getJob(), first.getGangShare(), node, SpotLoss.unionSlots(n, starts, ends), cost);
    }

    /** A moved running task's gang restart plus the fixed disruption cost. */
    public static long move(TaskAssignment task, CostModel cost) {
        return Math.round((task.getJob().lossHoursPerInterruption() * task.getGangShare()
                * cost.preemptionLossUsdPerGpuHour() + cost.moveCostUsd()) * CostModel.MICRO);
    }

    /** A preempted task: half a checkpoint interval plus its restart, times its own GPU share (section 9). */
    public static long preemptionLoss(TaskAssignment task, CostModel cost) {
        return Math.round(task.getJob().lossHoursPerInterruption() * task.getJob().gpu().share()
                * cost.preemptionLossUsdPerGpuHour() * CostModel.MICRO);
    }

    /** Borrowing off the fair-share split, in quota units x slots (section 9). */
    public static long fairSharing(long units, CostModel cost) {
        return Math.round(QuotaUnits.gpus(units) * cost.fairSharingUsdPerGpuHour() * CostModel.MICRO);
    }

    /** An ANY-topology gang spread over more than one network block. */
    public static long blockSpread(int blocks, CostModel cost) {
        return Math.round((blocks - 1) * cost.blockSpreadUsd() * CostModel.MICRO);
    }
}
