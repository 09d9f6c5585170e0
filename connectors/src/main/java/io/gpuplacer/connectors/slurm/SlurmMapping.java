package io.gpuplacer.connectors.slurm;

import io.gpuplacer.connectors.kubernetes.snapshot.SnapshotSettings.NodeFacts;
import io.gpuplacer.connectors.kubernetes.snapshot.SnapshotSettings.Zone;

import java.util.Map;

/**
 * What slurmctld does not say and a snapshot needs: the grid zone (and PUE) the cluster's nodes are in, the GPU
 * model each GRES type stands for ({@code a100} to {@code A100-80GB}; a type not listed keeps its name), the power
 * and price facts per GPU model ({@code "*"} for every model not listed), and how long a running job without a
 * time limit is taken to run in all.
 */
public record SlurmMapping(Zone zone, Map<String, String> gpuModels, Map<String, NodeFacts> facts,
                           double defaultHours) {

    public static final String ANY = "*";
    /** The GPU model of nodes without GPUs (a CPU-only node has no GRES type). */
    public static final String NO_GPU = "none";

    public SlurmMapping {
        gpuModels = Map.copyOf(gpuModels);
        facts = Map.copyOf(facts);
    }

    String modelOf(String gresType) {
        return gresType == null ? NO_GPU : gpuModels.getOrDefault(gresType, gresType);
    }

    NodeFacts factsOf(String gpuModel) {
        NodeFacts f = facts.get(gpuModel);
        return f != null ? f : facts.get(ANY);
    }
}
