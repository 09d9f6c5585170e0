package io.gpuplacer.connectors.kubernetes.snapshot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.Map;
import java.util.Set;

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
 * @param queues       the queues (contract section 9) every snapshot carries, and which Kueue LocalQueue is which
 */
public record SnapshotSettings(Map<String, Zone> zones, String rackLabel, String blockLabel,
                               Map<String, NodeFacts> facts, Map<String, String> gpuModels, String teamLabel,
                               double defaultHours, Queues queues) {

    /** Settings without queues. */
    public SnapshotSettings(Map<String, Zone> zones, String rackLabel, String blockLabel, Map<String, NodeFacts> facts,
                            Map<String, String> gpuModels, String teamLabel, double defaultHours) {
        this(zones, rackLabel, blockLabel, facts, gpuModels, teamLabel, defaultHours, Queues.NONE);
    }

    public static final String ANY = "*";
    /** A pod's queue, by id (label or annotation). */
    public static final String QUEUE_LABEL = "gpuplacer.io/queue";
    /** Kueue's LocalQueue of a pod: mapped to a queue by {@link Queues#localQueues}. */
    public static final String KUEUE_QUEUE_LABEL = "kueue.x-k8s.io/queue-name";

    /**
     * The queues of contract section 9 as the snapshot's {@code queues} (already validated against the contract),
     * and Kueue LocalQueues ({@code namespace/name}, or a name in any namespace) to queue ids.
     */
    public record Queues(ArrayNode definitions, Map<String, String> localQueues, Set<String> ids) {

        public static final Queues NONE = new Queues(JsonNodeFactory.instance.arrayNode(), Map.of(), Set.of());

        /** The queue a pod names: gpuplacer.io/queue, else its Kueue LocalQueue mapped; null when none (or unknown). */
        String of(String namespace, Map<String, String> labels, Map<String, String> annotations) {
            String named = labels.getOrDefault(QUEUE_LABEL, annotations.get(QUEUE_LABEL));
            if (named == null && labels.containsKey(KUEUE_QUEUE_LABEL)) {
                String local = labels.get(KUEUE_QUEUE_LABEL);
                named = localQueues.getOrDefault(namespace + "/" + local, localQueues.get(local));
            }
            return named != null && ids.contains(named) ? named : null;
        }
    }
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
