package io.gpuplacer.model.problem;

import java.util.List;
import java.util.Map;

/**
 * A machine of the cluster. {@code islandOf[g]} is the NVLink island index of GPU g (precomputed from
 * {@code islands}); {@code migProfiles} are the MIG profiles of the node's GPU model. Equality is by index:
 * nodes are keys of the score's hottest group-by.
 */
public record Node(int index, String id, Zone zone, String rack, String block, String gpuModel, int gpuCount,
                   List<List<Integer>> islands, int[] islandOf, boolean migEnabled, long cpuMillis, long memoryMiB,
                   CapacityType capacityType, double interruptionPerHour, double costPerHour, double baseWatts,
                   double gpuBusyWatts, boolean alwaysOn, boolean healthy, boolean schedulable,
                   Map<String, MigProfile> migProfiles) {

    /** Rack used for RACK topology; a node without a rack is a rack of its own. */
    public String rackKey() {
        return rack != null ? rack : "node:" + id;
    }

    /** Network block used for BLOCK topology; a node without a block is a block of its own. */
    public String blockKey() {
        return block != null ? block : "node:" + id;
    }

    /** New tasks and moves may go only to healthy, schedulable nodes. */
    public boolean acceptsNewWork() {
        return healthy && schedulable;
    }

    public boolean isSpot() {
        return capacityType == CapacityType.SPOT;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Node n && n.index == index && n.id.equals(id);
    }

    @Override
    public int hashCode() {
        return index;
    }

    @Override
    public String toString() {
        return id;
    }
}
