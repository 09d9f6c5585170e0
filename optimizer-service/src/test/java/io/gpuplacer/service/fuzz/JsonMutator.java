package io.gpuplacer.service.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Mutations of valid JSON documents for fuzzing: a value replaced by one of another type or an extreme one, a
 * field removed or added, an array emptied, grown or given a duplicate, the text cut short.
 */
public final class JsonMutator {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final JsonNode[] ODD_VALUES = {F.nullNode(), F.numberNode(-1), F.numberNode(0),
            F.numberNode(1e308), F.numberNode(-1e308), F.numberNode(Long.MAX_VALUE), F.numberNode(Long.MIN_VALUE),
            F.numberNode(new java.math.BigInteger("123456789012345678901234567890")), F.numberNode(0.5),
            F.textNode(""), F.textNode("x"), F.textNode("+1000000000-01-01T00:00:00Z"),
            F.textNode("2026-11-22T00:30:00Z"), F.textNode("x".repeat(5000)), F.booleanNode(true), F.arrayNode(),
            F.objectNode(), F.arrayNode().add(F.nullNode()), F.numberNode(Integer.MAX_VALUE), F.numberNode(-0.0)};

    private JsonMutator() {
    }

    /** The document with one random change somewhere in it. */
    public static JsonNode mutate(JsonNode doc, Random random) {
        List<ContainerNode<?>> containers = new ArrayList<>();
        collect(doc, containers);
        ContainerNode<?> parent = containers.get(random.nextInt(containers.size()));
        if (parent instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            int kind = random.nextInt(10);
            if (names.isEmpty() || kind == 0) {
                object.set("unknown" + random.nextInt(3), odd(random));
            } else if (kind == 1) {
                object.remove(names.get(random.nextInt(names.size())));
            } else {
                object.set(names.get(random.nextInt(names.size())), odd(random));
            }
        } else if (parent instanceof ArrayNode array) {
            int kind = random.nextInt(6);
            if (array.isEmpty() || kind == 0) {
                array.add(odd(random));
            } else if (kind == 1) {
                array.removeAll();
            } else if (kind == 2) {
                array.add(array.get(random.nextInt(array.size())).deepCopy()); // a duplicate
            } else {
                array.set(random.nextInt(array.size()), odd(random));
            }
        }
        return doc;
    }

    private static void collect(JsonNode node, List<ContainerNode<?>> out) {
        if (node instanceof ContainerNode<?> container) {
            out.add(container);
            Iterator<JsonNode> children = node.elements();
            while (children.hasNext()) {
                collect(children.next(), out);
            }
        }
    }

    private static JsonNode odd(Random random) {
        return ODD_VALUES[random.nextInt(ODD_VALUES.length)].deepCopy();
    }

    public static String truncate(String text, Random random) {
        return text.substring(0, random.nextInt(Math.max(1, text.length())));
    }

}
