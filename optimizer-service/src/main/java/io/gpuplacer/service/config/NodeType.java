package io.gpuplacer.service.config;

import io.micronaut.core.annotation.Nullable;

/**
 * One entry of {@code gpuplacer.kubernetes.node-types}: what a node of a type (its
 * {@code node.kubernetes.io/instance-type}, else its GPU model; {@code *} for every type not listed) costs and draws.
 *
 * @param index        the entry's place in the list
 * @param type         the instance type, GPU model or {@code *}
 * @param costPerHour  USD per hour (0..10000)
 * @param baseWatts    watts drawn when on, without the GPUs' work (0..1000000)
 * @param gpuBusyWatts watts one busy GPU adds (0..10000)
 * @param alwaysOn     the node cannot be powered down
 */
public record NodeType(int index, @Nullable String type, @Nullable Double costPerHour,
                       @Nullable Double baseWatts, @Nullable Double gpuBusyWatts, @Nullable Boolean alwaysOn) {

    public static final String LIST = "gpuplacer.kubernetes.node-types";

    public NodeType {
        String where = LIST + "[" + index + "]";
        type = ListEntries.required(where, "type", type);
        costPerHour = ListEntries.within(where, "cost-per-hour", costPerHour, 0, 10_000, null);
        baseWatts = ListEntries.within(where, "base-watts", baseWatts, 0, 1_000_000, null);
        gpuBusyWatts = ListEntries.within(where, "gpu-busy-watts", gpuBusyWatts, 0, 10_000, null);
        alwaysOn = alwaysOn != null && alwaysOn;
    }

    /** The entries as the snapshot mappers' facts by type (a later entry for a type takes the earlier's place). */
    public static java.util.Map<String, io.gpuplacer.connectors.kubernetes.snapshot.SnapshotSettings.NodeFacts>
            factsByType(java.util.List<NodeType> types) {
        java.util.Map<String, io.gpuplacer.connectors.kubernetes.snapshot.SnapshotSettings.NodeFacts> facts =
                new java.util.HashMap<>();
        for (NodeType t : types) {
            facts.put(t.type(), new io.gpuplacer.connectors.kubernetes.snapshot.SnapshotSettings.NodeFacts(
                    t.costPerHour(), t.baseWatts(), t.gpuBusyWatts(), t.alwaysOn()));
        }
        return java.util.Map.copyOf(facts);
    }
}
