package io.gpuplacer.model.interchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Moves every instant of an interchange document by the same amount: signal points ({@code at}), the queue's
 * {@code now}, jobs' {@code earliestStart} and {@code deadline}. Used to replay a recorded or generated state at
 * the current time (the bundled example, the load benchmark) without changing its shape.
 */
public final class DocumentTimes {

    private static final Set<String> INSTANT_FIELDS = Set.of("at", "now", "earliestStart", "deadline");

    private DocumentTimes() {
    }

    /** The earliest instant in the document, or null when it has none. */
    public static Instant earliest(JsonNode doc) {
        Instant first = null;
        for (String field : INSTANT_FIELDS) {
            for (JsonNode value : doc.findValues(field)) {
                if (value.isTextual()) {
                    Instant at = Instant.parse(value.asText());
                    first = first == null || at.isBefore(first) ? at : first;
                }
            }
        }
        return first;
    }

    /** Shifts the document in place. */
    public static void shift(JsonNode node, Duration by) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (INSTANT_FIELDS.contains(field.getKey()) && field.getValue().isTextual()) {
                    ((ObjectNode) node).put(field.getKey(), Instant.parse(field.getValue().asText()).plus(by).toString());
                } else {
                    shift(field.getValue(), by);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> shift(child, by));
        }
    }
}
