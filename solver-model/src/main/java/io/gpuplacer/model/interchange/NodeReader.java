package io.gpuplacer.model.interchange;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.model.problem.CapacityType;
import io.gpuplacer.model.problem.MigCatalogue;
import io.gpuplacer.model.problem.MigProfile;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Zone;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Reads one node of a cluster snapshot (interchange section 1): its zone, GPUs, NVLink islands, MIG, prices. */
final class NodeReader {

    static final double MAX_COST_PER_HOUR = 10_000;
    static final double MAX_BASE_WATTS = 1_000_000;
    static final double MAX_GPU_BUSY_WATTS = 10_000;

    private NodeReader() {
    }

    /**
     * {@code spotRates}: interruption rates per spot pool from the signals document; a SPOT node that names its
     * {@code pool} (a field the project adds) takes its pool's rate there over its own {@code interruptionPerHour}.
     */
    static Node read(JsonField n, int index, Map<String, Zone> zones, Map<String, Node> existing, MigCatalogue mig,
                     Map<String, Double> spotRates) throws InputException {
        String id = n.string("id");
        if (existing.containsKey(id)) {
            throw n.error("id", "\"" + id + "\"", "is used by two nodes; node ids must be unique");
        }
        String zoneId = n.string("zone");
        Zone zone = zones.get(zoneId);
        if (zone == null) {
            throw n.error("zone", "\"" + zoneId + "\"", "is not a zone of the cluster; known zones: " + zones.keySet());
        }
        int gpuCount = (int) n.integer("gpuCount", 0, 64);
        // A CPU-only node may leave its model out or empty; a GPU node must name it (jobs match it exactly).
        String gpuModel = gpuCount > 0 ? n.string("gpuModel")
                : n.has("gpuModel") && n.raw("gpuModel").isTextual() ? n.raw("gpuModel").asText() : "";
        List<JsonNode> islandItems = n.array("nvlinkIslands", false);
        int[] islandOf = new int[gpuCount];
        Arrays.fill(islandOf, -1);
        List<List<Integer>> islands = new ArrayList<>();
        for (int k = 0; k < islandItems.size(); k++) {
            JsonNode island = islandItems.get(k);
            String path = n.child("nvlinkIslands") + "[" + k + "]";
            if (!island.isArray() || island.isEmpty()) {
                throw new InputException(path, JsonField.text(island), path + ": " + JsonField.text(island)
                        + " must be a non-empty array of GPU indices");
            }
            List<Integer> members = new ArrayList<>();
            for (int j = 0; j < island.size(); j++) {
                int g = (int) JsonField.checkIntegerAt(path + "[" + j + "]", island.get(j), 0, gpuCount - 1);
                if (islandOf[g] >= 0) {
                    throw new InputException(path, String.valueOf(g), path + ": GPU " + g
                            + " is already in another island; islands must not overlap");
                }
                islandOf[g] = islands.size();
                members.add(g);
            }
            islands.add(List.copyOf(members));
        }
        if (islandItems.isEmpty() && gpuCount > 0) {
            List<Integer> all = new ArrayList<>();
            for (int g = 0; g < gpuCount; g++) {
                all.add(g);
                islandOf[g] = 0;
            }
            islands.add(List.copyOf(all));
        }
        for (int g = 0; g < gpuCount; g++) {
            if (islandOf[g] < 0) { // a GPU outside every listed island is an island of its own
                islandOf[g] = islands.size();
                islands.add(List.of(g));
            }
        }
        boolean migEnabled = n.optBoolean("migEnabled", false);
        Map<String, MigProfile> profiles = mig.profilesOf(gpuModel);
        if (migEnabled && profiles.isEmpty()) {
            throw n.error("gpuModel", "\"" + gpuModel + "\"", "has no MIG profiles but migEnabled is true; "
                    + "MIG models: " + mig.models());
        }
        CapacityType capacity = n.enumValue("capacityType", CapacityType.class, CapacityType.ON_DEMAND);
        double interruption = n.optNumber("interruptionPerHour", 0.0, 0.0, 1.0);
        String pool = n.optString("pool", null);
        if (capacity == CapacityType.SPOT && pool != null && spotRates.containsKey(pool)) {
            interruption = spotRates.get(pool);
        }
        return new Node(index, id, zone, n.optString("rack", null), n.optString("block", null), gpuModel, gpuCount,
                List.copyOf(islands), islandOf, migEnabled, n.integer("cpuMillis", 0, ProblemReader.MAX_CPU_MILLIS),
                n.integer("memoryMiB", 0, ProblemReader.MAX_MEMORY_MIB), capacity, interruption,
                n.number("costPerHour", 0.0, MAX_COST_PER_HOUR), n.number("baseWatts", 0.0, MAX_BASE_WATTS),
                n.number("gpuBusyWatts", 0.0, MAX_GPU_BUSY_WATTS), n.optBoolean("alwaysOn", false), n.optBoolean("healthy", true),
                n.optBoolean("schedulable", true), profiles);
    }
}
