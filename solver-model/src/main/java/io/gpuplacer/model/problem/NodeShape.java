package io.gpuplacer.model.problem;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What makes two nodes alike to placement: every property but name, rack and block. Two empty nodes of one
 * shape take the same tasks at the same cost and score, so searches price one of them per shape.
 */
public record NodeShape(int zone, String model, int gpus, List<List<Integer>> islands, boolean mig, long cpu,
                        long memory, CapacityType capacity, double interruption, double costPerHour,
                        double baseWatts, double busyWatts, boolean alwaysOn, boolean healthy, boolean schedulable) {

    public static NodeShape of(Node n) {
        return new NodeShape(n.zone().index(), n.gpuModel(), n.gpuCount(), n.islands(), n.migEnabled(),
                n.cpuMillis(), n.memoryMiB(), n.capacityType(), n.interruptionPerHour(), n.costPerHour(),
                n.baseWatts(), n.gpuBusyWatts(), n.alwaysOn(), n.healthy(), n.schedulable());
    }

    /** Each node's shape as a small number, by node index: {@code [0, count)} with count the distinct shapes. */
    public static int[] number(List<Node> nodes) {
        Map<NodeShape, Integer> ids = new HashMap<>();
        int[] out = new int[nodes.size()];
        for (Node node : nodes) {
            out[node.index()] = ids.computeIfAbsent(of(node), k -> ids.size());
        }
        return out;
    }
}
