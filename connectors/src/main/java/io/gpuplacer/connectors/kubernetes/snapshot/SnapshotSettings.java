package io.gpuplacer.connectors.kubernetes.snapshot;

import java.util.Map;

/**
 * What the cluster's objects do not say and the snapshot needs: which grid zone (and PUE) each
 * {@code topology.kubernetes.io/zone} lies in, the label keys of rack and network block, the power and price facts
 * per node type (the {@code node.kubernetes.io/instance-type} label, else the GPU model), and the GPU model names
 * the {@code nvidia.com/gpu.product} labels stand for.
 *
 * @param zones        topology zone to grid zone; {@code "*"} stands for every zone not listed
 * @param facts        node type (instance type, else GPU model) to facts; {@code "*"} for every type not listed
 * @param gpuModels    GPU Feature Discovery product to the model name jobs use, e.g. NVIDIA-H100-80GB-HBM3 to
 *                     H100-80GB; a product not listed keeps its name
 * @param defaultHours how long a running pod without {@code gpuplacer.io/duration-hours} is taken to run in all
 */
public record SnapshotSettings(Map<String, Zone> zones, String rackLabel, String blockLabel,
                               Map<String, NodeFacts> facts, Map<String, String> gpuModels, String teamLabel,
                               double defaultHours) {

    public static final String ANY = "*";
    public static final String RACK_LABEL = "topology.gpuplacer.io/rack";
    public static final String BLOCK_LABEL = "topology.gpuplacer.io/block";
    public static final String TEAM_LABEL = "gpuplacer.io/team";

    /** A grid zone and its PUE. */
    public record Zone(String id, double pue) {
    }

    /** What a node of a type costs and draws. */
    public record NodeFacts(double costPerHour, double baseWatts, double gpuBusyWatts, boolean alwaysOn) {
    }

    Zone zoneOf(String topologyZone) {
        Zone z = topologyZone == null ? null : zones.get(topologyZone);
        return z != null ? z : zones.get(ANY);
    }

    NodeFacts factsOf(String instanceType, String gpuModel) {
        NodeFacts f = instanceType == null ? null : facts.get(instanceType);
        if (f == null && gpuModel != null) {
            f = facts.get(gpuModel);
        }
        return f != null ? f : facts.get(ANY);
    }
}
