package io.gpuplacer.model.interchange;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A JSON object at a known path, with typed accessors whose errors name the field path and the value.
 * Reading by hand (not data binding) is what lets every error say which field, which value, and what is valid.
 */
public final class JsonField {

    private final JsonNode node;
    private final String path;

    public JsonField(JsonNode node, String path) throws InputException {
        if (node == null || !node.isObject()) {
            throw new InputException(path, text(node), label(path) + (node == null || node.isNull()
                    ? "missing (required object)" : text(node) + " must be a JSON object"));
        }
        this.node = node;
        this.path = path;
    }

    public String path() {
        return path;
    }

    public String child(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    public boolean has(String name) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    public JsonNode raw(String name) {
        return node.get(name);
    }

    /** The longest text field taken (a Kubernetes namespace/name with a suffix fits); the tables hold as much. */
    public static final int MAX_TEXT = 400;

    public String string(String name) throws InputException {
        JsonNode v = required(name);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw error(name, v, "must be a non-empty string");
        }
        if (v.asText().length() > MAX_TEXT) {
            throw error(name, "\"" + v.asText().substring(0, 40) + "...\"", "is " + v.asText().length()
                    + " characters long; at most " + MAX_TEXT);
        }
        return v.asText();
    }

    public String optString(String name, String fallback) throws InputException {
        return has(name) ? string(name) : fallback;
    }

    public long integer(String name, long min, long max) throws InputException {
        return checkInteger(name, required(name), min, max);
    }

    public long optInteger(String name, long fallback, long min, long max) throws InputException {
        return has(name) ? checkInteger(name, node.get(name), min, max) : fallback;
    }

    Integer nullableInteger(String name, long min, long max) throws InputException {
        return has(name) ? (int) checkInteger(name, node.get(name), min, max) : null;
    }

    public double number(String name, double min, double max) throws InputException {
        return checkNumber(name, required(name), min, max);
    }

    public double optNumber(String name, double fallback, double min, double max) throws InputException {
        return has(name) ? checkNumber(name, node.get(name), min, max) : fallback;
    }

    public boolean optBoolean(String name, boolean fallback) throws InputException {
        if (!has(name)) {
            return fallback;
        }
        JsonNode v = node.get(name);
        if (!v.isBoolean()) {
            throw error(name, v, "must be true or false");
        }
        return v.asBoolean();
    }

    <E extends Enum<E>> E enumValue(String name, Class<E> type, E fallback) throws InputException {
        if (!has(name)) {
            if (fallback == null) {
                required(name);
            }
            return fallback;
        }
        JsonNode v = node.get(name);
        if (v.isTextual()) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(v.asText())) {
                    return e;
                }
            }
        }
        throw error(name, v, "is not one of " + Arrays.stream(type.getEnumConstants()).map(Enum::name)
                .collect(Collectors.joining(", ")));
    }

    public Instant instant(String name) throws InputException {
        JsonNode v = required(name);
        return parseInstant(name, v);
    }

    public Instant optInstant(String name) throws InputException {
        return has(name) ? parseInstant(name, node.get(name)) : null;
    }

    JsonField object(String name) throws InputException {
        return new JsonField(node.get(name), child(name));
    }

    /** The array's elements with their paths; a missing optional array is empty. */
    public List<JsonNode> array(String name, boolean required) throws InputException {
        if (!has(name)) {
            if (required) {
                required(name);
            }
            return List.of();
        }
        JsonNode v = node.get(name);
        if (!v.isArray()) {
            throw error(name, v, "must be a JSON array");
        }
        List<JsonNode> out = new ArrayList<>();
        v.forEach(out::add);
        return out;
    }

    List<String> stringList(String name) throws InputException {
        List<String> out = new ArrayList<>();
        List<JsonNode> items = array(name, false);
        for (int i = 0; i < items.size(); i++) {
            JsonNode v = items.get(i);
            if (!v.isTextual() || v.asText().isBlank()) {
                throw new InputException(child(name) + "[" + i + "]", text(v),
                        label(child(name) + "[" + i + "]") + text(v) + " must be a non-empty string");
            }
            out.add(v.asText());
        }
        return out;
    }

    List<Integer> intList(String name, int min, int max) throws InputException {
        List<Integer> out = new ArrayList<>();
        List<JsonNode> items = array(name, false);
        for (int i = 0; i < items.size(); i++) {
            out.add((int) checkIntegerAt(child(name) + "[" + i + "]", items.get(i), min, max));
        }
        return out;
    }

    public InputException error(String name, JsonNode value, String what) {
        return new InputException(child(name), text(value), label(child(name)) + text(value) + " " + what);
    }

    public InputException error(String name, String value, String what) {
        return new InputException(child(name), value, label(child(name)) + value + " " + what);
    }

    private JsonNode required(String name) throws InputException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw new InputException(child(name), null, label(child(name)) + "missing (required)");
        }
        return v;
    }

    private long checkInteger(String name, JsonNode v, long min, long max) throws InputException {
        return checkIntegerAt(child(name), v, min, max);
    }

    static long checkIntegerAt(String path, JsonNode v, long min, long max) throws InputException {
        if (v == null || !v.isIntegralNumber() && !(v.isNumber() && v.asDouble() == Math.rint(v.asDouble()))) {
            throw new InputException(path, text(v), label(path) + text(v) + " must be a whole number");
        }
        if (!v.canConvertToLong()) { // a whole number beyond 64 bits would wrap in asLong()
            throw new InputException(path, text(v), label(path) + text(v) + " must be " + (v.asDouble() < 0
                    ? ">= " + min : "<= " + max));
        }
        long value = v.asLong();
        if (value < min) {
            throw new InputException(path, text(v), label(path) + text(v) + " must be >= " + min);
        }
        if (value > max) {
            throw new InputException(path, text(v), label(path) + text(v) + " must be <= " + max);
        }
        return value;
    }

    private double checkNumber(String name, JsonNode v, double min, double max) throws InputException {
        if (!v.isNumber()) {
            throw error(name, v, "must be a number");
        }
        double value = v.asDouble();
        if (!Double.isFinite(value) || value < min) {
            throw error(name, v, "must be >= " + plain(min));
        }
        if (value > max) {
            throw error(name, v, "must be <= " + plain(max));
        }
        return value;
    }

    private Instant parseInstant(String name, JsonNode v) throws InputException {
        if (v.isTextual()) {
            try {
                return Instant.parse(v.asText());
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        throw error(name, v, "must be an ISO-8601 UTC instant such as 2026-11-22T03:00:00Z");
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static String label(String path) {
        return path.isEmpty() ? "" : path + ": ";
    }

    static String text(JsonNode v) {
        return v == null ? "null" : v.toString();
    }
}
