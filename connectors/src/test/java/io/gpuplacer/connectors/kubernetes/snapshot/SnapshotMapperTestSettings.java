package io.gpuplacer.connectors.kubernetes.snapshot;

import java.util.Map;

/** The settings the Kubernetes snapshot tests map their fixtures with. */
public final class SnapshotMapperTestSettings {

    public static final SnapshotSettings SETTINGS = new SnapshotSettings(
            Map.of("eu-central-1a", new SnapshotSettings.Zone("DE-LU", 1.2),
                    "eu-central-1b", new SnapshotSettings.Zone("DE-LU", 1.2),
                    "us-east-1a", new SnapshotSettings.Zone("US-MIDA-PJM", 1.3)),
            SnapshotSettings.RACK_LABEL, SnapshotSettings.BLOCK_LABEL,
            Map.of("p5.48xlarge", new SnapshotSettings.NodeFacts(98.32, 1800, 630, false),
                    SnapshotSettings.ANY, new SnapshotSettings.NodeFacts(4, 500, 350, true)),
            Map.of("NVIDIA-H100-80GB-HBM3", "H100-80GB", "NVIDIA-A100-SXM4-80GB", "A100-80GB"),
            SnapshotSettings.TEAM_LABEL, 24);

    private SnapshotMapperTestSettings() {
    }
}
