package io.gpuplacer.constraints;

import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.layout.NodeLayout;
import io.gpuplacer.model.problem.CostModel;
import io.gpuplacer.model.problem.Node;

/**
 * The soft terms in micro-USD, one function each, shared by the constraints and the placement oracle so both
 * price a node or a task the same way. All return a cost (positive = worse); energy and fragmentation may be
 * negative (negative prices, less fragmented than empty).
 */
public final class CostTerms {

    private CostTerms() {
    }

    /** The node's marginal energy at the zone's hourly price: kWh x USD/MWh x 1000. */
    public static long energy(NodeLayout layout, CostModel cost) {
        double[] kWh = layout.marginalKWh();
        double[] price = layout.node().zone().signals().priceUsdPerMWh();
        double usdThousandths = 0;
        for (int t = 0; t < kWh.length; t++) {
            usdThousandths += kWh[t] * price[t];
        }
        return Math.round(usdThousandths * 1000.0 * cost.energyCostMultiplier());
    }

    /** Hours the node is on because of its tasks, at its hourly price. */
    public static long nodeHours(NodeLayout layout, CostModel cost) {
        return Math.round(layout.onSlots() * layout.node().costPerHour() * cost.nodeCostMultiplier() * CostModel.MICRO);
    }

    /** The node's marginal emissions: kWh x g/kWh x USD/t (= micro-USD per gram). */
    public static long carbon(NodeLayout layout, CostModel cost) {
        double[] kWh = layout.marginalKWh();
        double[] carbon = layout.node().zone().signals().carbonGPerKWh();
        double grams = 0;
        for (int t = 0; t < kWh.length; t++) {
            grams += kWh[t] * carbon[t];
        }
        return Math.round(grams * cost.carbonPriceUsdPerTonne());
    }

    /** FGD's fragmentation of the node relative to empty, in GPU-hours, at its price. */
    public static long fragmentation(NodeLayout layout, CostModel cost) {
        return Math.round(layout.fragmentation(cost.workload()) / 1000.0 * cost.fragmentationUsdPerGpuHour()
                * CostModel.MICRO);
    }

    /** Expected loss of a task on a SPOT node from slot start to end (0 elsewhere). */
    public static long preemption(TaskAssignment task, Node node, int start, int end, CostModel cost) {
        if (!node.isSpot() || node.interruptionPerHour() <= 0) {
            return 0;
        }
        return Math.round(node.interruptionPerHour() * (end - start) * task.getJob().lossHoursPerInterruption()
                * task.getGangShare() * cost.preemptionLossUsdPerGpuHour() * CostModel.MICRO);
    }

    /** A moved running task's gang restart plus the fixed disruption cost. */
    public static long move(TaskAssignment task, CostModel cost) {
        return Math.round((task.getJob().lossHoursPerInterruption() * task.getGangShare()
                * cost.preemptionLossUsdPerGpuHour() + cost.moveCostUsd()) * CostModel.MICRO);
    }

    /** An ANY-topology gang spread over more than one network block. */
    public static long blockSpread(int blocks, CostModel cost) {
        return Math.round((blocks - 1) * cost.blockSpreadUsd() * CostModel.MICRO);
    }
}
