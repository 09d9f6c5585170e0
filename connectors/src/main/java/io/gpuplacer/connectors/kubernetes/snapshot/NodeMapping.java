package io.gpuplacer.connectors.kubernetes.snapshot;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.gpuplacer.model.problem.MigCatalogue;

import java.util.Map;

import static io.gpuplacer.connectors.kubernetes.snapshot.SnapshotMapper.GPU;
import static io.gpuplacer.connectors.kubernetes.snapshot.SnapshotMapper.GPU_COUNT;
import static io.gpuplacer.connectors.kubernetes.snapshot.SnapshotMapper.MIG_PREFIX;
import static io.gpuplacer.connectors.kubernetes.snapshot.SnapshotMapper.PRODUCT;
import static io.gpuplacer.connectors.kubernetes.snapshot.Values.amount;
import static io.gpuplacer.connectors.kubernetes.snapshot.Values.integer;
import static io.gpuplacer.connectors.kubernetes.snapshot.Values.labels;
import static io.gpuplacer.connectors.kubernetes.snapshot.Values.putIfPresent;

/**
 * One Node as a snapshot node: GPU model and count from GPU Feature Discovery, allocatable CPU and memory, the grid
 * zone through the settings, spot from Karpenter's, GKE's or EKS's label, cordoned and unhealthy from its spec and
 * Ready condition, power and price facts by node type. A node that cannot be mapped throws, naming why.
 */
final class NodeMapping {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final SnapshotSettings settings;
    private final MigCatalogue mig;

    NodeMapping(SnapshotSettings settings, MigCatalogue mig) {
        this.settings = settings;
        this.mig = mig;
    }

    /** The node; its grid zone and PUE are added to {@code zones} when it is the first of that zone. */
    ObjectNode map(Node node, Map<String, Double> zones) {
        Map<String, String> labels = labels(node.getMetadata().getLabels());
        String topologyZone = labels.getOrDefault("topology.kubernetes.io/zone",
                labels.get("failure-domain.beta.kubernetes.io/zone"));
        SnapshotSettings.Zone zone = settings.zoneOf(topologyZone);
        if (zone == null) {
            throw new IllegalArgumentException("zone " + (topologyZone == null ? "(no topology.kubernetes.io/zone "
                    + "label)" : "\"" + topologyZone + "\"") + " is not mapped to a grid zone "
                    + "(gpuplacer.kubernetes.zones)");
        }
        zones.putIfAbsent(zone.id(), zone.pue());
        Map<String, Quantity> allocatable = node.getStatus() == null || node.getStatus().getAllocatable() == null
                ? Map.of() : node.getStatus().getAllocatable();
        String product = labels.get(PRODUCT);
        String gpuModel = product == null ? "" : settings.gpuModels().getOrDefault(product, product);
        boolean migEnabled = allocatable.keySet().stream().anyMatch(k -> k.startsWith(MIG_PREFIX));
        int gpuCount = migEnabled || !allocatable.containsKey(GPU) ? integer(labels.get(GPU_COUNT), 0, "label " + GPU_COUNT)
                : (int) amount(allocatable.get(GPU), 1, "allocatable " + GPU);
        if (migEnabled && mig.profilesOf(gpuModel).isEmpty()) {
            throw new IllegalArgumentException("GPU model \"" + gpuModel + "\" has MIG resources but no MIG profiles "
                    + "in the catalogue");
        }
        String instanceType = labels.get("node.kubernetes.io/instance-type");
        SnapshotSettings.NodeFacts facts = settings.factsOf(instanceType, gpuModel);
        if (facts == null) {
            throw new IllegalArgumentException("no power and price facts for node type \"" + (instanceType != null
                    ? instanceType : gpuModel) + "\" (gpuplacer.kubernetes.node-types)");
        }
        ObjectNode n = F.objectNode();
        n.put("id", node.getMetadata().getName()).put("zone", zone.id());
        putIfPresent(n, "rack", labels.get(settings.rackLabel()));
        putIfPresent(n, "block", labels.get(settings.blockLabel()));
        n.put("gpuModel", gpuModel).put("gpuCount", gpuCount).put("migEnabled", migEnabled)
                .put("cpuMillis", (long) amount(allocatable.get("cpu"), 1000, "allocatable cpu"))
                .put("memoryMiB", (long) amount(allocatable.get("memory"), 1.0 / (1 << 20), "allocatable memory"))
                .put("capacityType", spot(labels) ? "SPOT" : "ON_DEMAND");
        putIfPresent(n, "pool", instanceType);
        n.put("costPerHour", facts.costPerHour()).put("baseWatts", facts.baseWatts())
                .put("gpuBusyWatts", facts.gpuBusyWatts()).put("alwaysOn", facts.alwaysOn())
                .put("healthy", ready(node))
                .put("schedulable", node.getSpec() == null || !Boolean.TRUE.equals(node.getSpec().getUnschedulable()));
        return n;
    }

    private static boolean spot(Map<String, String> labels) {
        return "spot".equalsIgnoreCase(labels.get("karpenter.sh/capacity-type"))
                || "true".equalsIgnoreCase(labels.get("cloud.google.com/gke-spot"))
                || "SPOT".equalsIgnoreCase(labels.get("eks.amazonaws.com/capacityType"));
    }

    private static boolean ready(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return false;
        }
        for (NodeCondition c : node.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                return "True".equals(c.getStatus());
            }
        }
        return false;
    }
}
