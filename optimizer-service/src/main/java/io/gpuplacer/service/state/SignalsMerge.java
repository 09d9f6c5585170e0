package io.gpuplacer.service.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** A PUT of signals while signal sources are configured: it replaces what it names and keeps the rest. */
final class SignalsMerge {

    private SignalsMerge() {
    }

    /** The signals in force with the zones and spot pools {@code update} names replaced by its. */
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
}
