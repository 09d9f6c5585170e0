package io.gpuplacer.service.kubernetes;

import io.gpuplacer.service.config.SettingLists;
import io.gpuplacer.connectors.kubernetes.snapshot.SnapshotSettings;
import io.gpuplacer.service.config.GpuModelName;
import io.gpuplacer.service.config.KubernetesSettings;
import io.gpuplacer.service.config.KubernetesZone;
import io.gpuplacer.service.config.NodeType;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.Map;

/**
 * The connector's {@link SnapshotSettings} from the configuration: zones, node types and GPU models as lists (so
 * that their ids keep their case), e.g.
 * <pre>
 * zones:      [{ topology-zone: eu-central-1a, zone: DE-LU, pue: 1.2 }]
 * node-types: [{ type: p5.48xlarge, cost-per-hour: 98.32, base-watts: 1800, gpu-busy-watts: 630 }]
 * gpu-models: [{ product: NVIDIA-H100-80GB-HBM3, model: H100-80GB }]
 * </pre>
 * A later entry for the same id takes the place of an earlier one. The queues come from
 * {@code gpuplacer.kubernetes.queues-file} ({@link QueuesFile}).
 */
@Singleton
public class SnapshotConfiguration {

    private final SnapshotSettings settings;
    private final io.gpuplacer.connectors.kubernetes.snapshot.LiveQueues queues;

    public SnapshotConfiguration(KubernetesSettings kubernetes, SettingLists lists) {
        Map<String, SnapshotSettings.Zone> zoneMap = new HashMap<>();
        for (KubernetesZone z : lists.zones()) {
            zoneMap.put(z.topologyZone(), new SnapshotSettings.Zone(z.zone(), z.pue()));
        }
        Map<String, String> models = new HashMap<>();
        for (GpuModelName m : lists.gpuModels()) {
            models.put(m.product(), m.model());
        }
        this.settings = new SnapshotSettings(Map.copyOf(zoneMap), kubernetes.rackLabel(), kubernetes.blockLabel(),
                NodeType.factsByType(lists.nodeTypes()), Map.copyOf(models), kubernetes.teamLabel(), 24,
                QueuesFile.read(kubernetes.queuesFile()));
        this.queues = new io.gpuplacer.connectors.kubernetes.snapshot.LiveQueues(settings.queues());
    }

    public SnapshotSettings settings() {
        return settings;
    }

    /** The queues in force: Kueue's while the watched cluster has Kueue, else the queues file's. */
    public io.gpuplacer.connectors.kubernetes.snapshot.LiveQueues queues() {
        return queues;
    }
}
