package io.gpuplacer.service.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Signals documents laid over one another or cut to a cluster's zones. */
public final class SignalsDocuments {

    private SignalsDocuments() {
    }

    /**
     * A PUT of signals while signal sources are configured: it replaces what it names and keeps the rest.
     * The signals in force with the zones and spot pools {@code update} names replaced by its.
     */
    static ObjectNode merged(JsonNode inForce, JsonNode update) {
        ObjectNode out = inForce != null && inForce.isObject() ? inForce.deepCopy()
                : JsonNodeFactory.instance.objectNode();
        for (String section : List.of("zones", "spot")) {
            if (!update.path(section).isObject()) {
                continue;
            }
            if (!out.path(section).isObject()) {
                out.putObject(section);
            }
            ObjectNode target = (ObjectNode) out.get(section);
            update.get(section).fields().forEachRemaining(e -> target.set(e.getKey(), e.getValue().deepCopy()));
        }
        return out;
    }

    /** The signals of the cluster's zones only: a new snapshot may drop zones that the signals still name. */
    public static JsonNode forCluster(JsonNode cluster, JsonNode signals) {
        if (signals == null || !signals.has("zones") || !signals.get("zones").isObject()
                || cluster == null || !cluster.has("zones") || !cluster.get("zones").isArray()) {
            return signals;
        }
        java.util.Set<String> zones = new java.util.HashSet<>();
        cluster.get("zones").forEach(z -> zones.add(z.path("id").asText()));
        ObjectNode copy = signals.deepCopy();
        Iterator<Map.Entry<String, JsonNode>> fields = ((ObjectNode) copy.get("zones")).fields();
        while (fields.hasNext()) {
            if (!zones.contains(fields.next().getKey())) {
                fields.remove();
            }
        }
        return copy;
    }
}
