package io.gpuplacer.service.capacity;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.JsonField;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The node types one can buy: {@code {"nodeTypes": [{"id", "zone", "gpuModel", "gpuCount", "leadTimeWeeks",
 * "costPerHour" (or "capexUsd" with "lifetimeYears"), "baseWatts", "gpuBusyWatts", "embodiedKgCo2e",
 * "lifetimeYears", "migEnabled"}]}} ({@code migEnabled}: its GPUs serve MIG instances, as a snapshot's node). A
 * node's cost per hour is its {@code costPerHour}, or its capex spread over its lifetime.
 */
public record NodeCatalogue(List<NodeType> nodeTypes) {

    /** One node type, as sold in one zone. */
    public record NodeType(String id, String zone, String gpuModel, int gpuCount, double leadTimeWeeks,
                           double costPerHour, double baseWatts, double gpuBusyWatts, double embodiedKgCo2e,
                           double lifetimeYears, boolean migEnabled) {
        /** Its embodied emissions spread over its lifetime, per hour. */
        public double embodiedKgPerHour() {
            return embodiedKgCo2e / (lifetimeYears * 8760);
        }
    }

    public static NodeCatalogue read(JsonNode doc, String name) throws InputException {
        try {
            JsonField root = new JsonField(doc, "");
            List<JsonNode> items = root.array("nodeTypes", true);
            List<NodeType> out = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < items.size(); i++) {
                JsonField t = new JsonField(items.get(i), "nodeTypes[" + i + "]");
                String id = t.string("id");
                String zone = t.string("zone");
                if (!ids.add(id + "@" + zone)) {
                    throw t.error("id", "\"" + id + "\"", "is listed twice for zone " + zone);
                }
                double lifetime = t.optNumber("lifetimeYears", 5, 0.1, 50);
                double cost;
                if (t.has("costPerHour")) {
                    cost = t.number("costPerHour", 0, 1e6);
                } else if (t.has("capexUsd")) {
                    cost = t.number("capexUsd", 0, 1e10) / (lifetime * 8760);
                } else {
                    throw t.error("costPerHour", (String) null, "is missing: give costPerHour, or capexUsd with "
                            + "lifetimeYears");
                }
                out.add(new NodeType(id, zone, t.string("gpuModel"), (int) t.integer("gpuCount", 1, 64),
                        t.optNumber("leadTimeWeeks", 0, 0, 520), cost, t.number("baseWatts", 0, 1e5),
                        t.number("gpuBusyWatts", 0, 1e4), t.optNumber("embodiedKgCo2e", 0, 0, 1e7), lifetime,
                        t.optBoolean("migEnabled", false)));
            }
            return new NodeCatalogue(List.copyOf(out));
        } catch (InputException e) {
            throw e.inDocument(name);
        }
    }

    /** The node type of that id as sold in that zone (one a purchase names). */
    public NodeType type(String id, String zone) {
        return nodeTypes.stream().filter(t -> t.id().equals(id) && t.zone().equals(zone)).findFirst().orElseThrow();
    }

    /** The node types of a GPU model (in a zone, or any zone when {@code zone} is null). */
    public List<NodeType> of(String gpuModel, String zone) {
        return nodeTypes.stream().filter(t -> t.gpuModel().equals(gpuModel) && (zone == null
                || t.zone().equals(zone))).toList();
    }
}
