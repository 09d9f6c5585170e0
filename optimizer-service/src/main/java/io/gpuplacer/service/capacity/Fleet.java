package io.gpuplacer.service.capacity;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.JsonField;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet today and the grid it runs on: the GPU nodes of a cluster snapshot (contract section 1: id, zone,
 * gpuModel, gpuCount, costPerHour, baseWatts, gpuBusyWatts) with their zones' PUE, and each zone's mean carbon
 * intensity and price over a signals document (section 3), where one is given; and the snapshot itself (for the
 * replay, which places work on its nodes).
 */
public record Fleet(List<Node> nodes, Map<String, Zone> zones, JsonNode document) {

    public record Node(String id, String zone, String gpuModel, int gpuCount, double costPerHour, double baseWatts,
                       double gpuBusyWatts, boolean migEnabled) {
    }

    /** A zone: PUE, mean g CO2e/kWh and USD/MWh (NaN where no signal was given). */
    public record Zone(String id, double pue, double gramsPerKWh, double usdPerMWh) {
    }

    public static Fleet read(JsonNode cluster, JsonNode signals, String name) throws InputException {
        Map<String, Zone> zones = new HashMap<>();
        List<Node> nodes = new ArrayList<>();
        try {
            JsonField root = new JsonField(cluster, "");
            for (JsonNode z : root.array("zones", true)) {
                JsonField f = new JsonField(z, "zones[" + zones.size() + "]");
                String id = f.string("id");
                zones.put(id, new Zone(id, f.number("pue", 1, 3), Double.NaN, Double.NaN));
            }
            List<JsonNode> items = root.array("nodes", true);
            for (int i = 0; i < items.size(); i++) {
                JsonField n = new JsonField(items.get(i), "nodes[" + i + "]");
                int gpus = (int) n.optInteger("gpuCount", 0, 0, 64);
                if (gpus == 0) {
                    continue; // CPU nodes hold no GPU demand
                }
                n.number("cpuMillis", 0, 1e12); // required of a snapshot's node: the replay places work on it
                n.number("memoryMiB", 0, 1e12);
                String zone = n.string("zone");
                if (!zones.containsKey(zone)) {
                    throw n.error("zone", "\"" + zone + "\"", "is not one of the document's zones " + zones.keySet());
                }
                nodes.add(new Node(n.string("id"), zone, n.string("gpuModel"), gpus, n.optNumber("costPerHour", 0, 0,
                        1e6), n.optNumber("baseWatts", 0, 0, 1e5), n.optNumber("gpuBusyWatts", 0, 0, 1e4),
                        n.optBoolean("migEnabled", false)));
            }
        } catch (InputException e) {
            throw e.inDocument(name);
        }
        if (signals != null) {
            for (Map.Entry<String, JsonNode> e : signals.path("zones").properties()) {
                Zone z = zones.get(e.getKey());
                double grams = mean(e.getValue().path("carbon"), "gPerKWh");
                double usd = mean(e.getValue().path("price"), "usdPerMWh");
                zones.put(e.getKey(), new Zone(e.getKey(), z == null ? 1 : z.pue(), grams, usd));
            }
        }
        return new Fleet(List.copyOf(nodes), Map.copyOf(zones), cluster);
    }

    private static double mean(JsonNode points, String field) {
        double sum = 0;
        int n = 0;
        for (JsonNode p : points) {
            if (p.path(field).isNumber()) {
                sum += p.path(field).asDouble();
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** The zone, or one of PUE 1 without signals. */
    public Zone zone(String id) {
        return zones.getOrDefault(id, new Zone(id, 1, Double.NaN, Double.NaN));
    }

    /** GPUs of the model (in the zone, or in any when {@code zone} is null) that serve MIG, or that do not. */
    public double gpus(String gpuModel, String zone, boolean mig) {
        return nodes.stream().filter(n -> n.gpuModel().equals(gpuModel) && (zone == null || n.zone().equals(zone))
                && n.migEnabled() == mig).mapToInt(Node::gpuCount).sum();
    }

    /** GPUs of the model (in the zone, or in any when {@code zone} is null). */
    public double gpus(String gpuModel, String zone) {
        return nodes.stream().filter(n -> n.gpuModel().equals(gpuModel) && (zone == null || n.zone().equals(zone)))
                .mapToInt(Node::gpuCount).sum();
    }
}
