package io.gpuplacer.connectors.kubernetes.snapshot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.Map;

/** Reading labels, annotations and quantities of Kubernetes objects; a value that does not read names itself. */
final class Values {

    private Values() {
    }

    /** Labels, annotations or a selector; entries without a value (JSON null) are left out, as if absent. */
    static Map<String, String> labels(Map<String, String> m) {
        if (m == null) {
            return Map.of();
        }
        if (m.values().stream().noneMatch(java.util.Objects::isNull)) { // not containsValue(null): Map.of throws
            return m;
        }
        Map<String, String> out = new java.util.HashMap<>(m);
        out.values().removeIf(java.util.Objects::isNull);
        return out;
    }

    static double amount(Quantity q, double scale, String what) {
        if (q == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        try {
            return q.getNumericalAmount().doubleValue() * scale;
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " \"" + q + "\" is not a quantity");
        }
    }

    static int integer(String text, int min, String what) {
        if (text == null) {
            return min;
        }
        try {
            int v = Integer.parseInt(text.strip());
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new IllegalArgumentException(what + " \"" + text + "\" is not a whole number of at least " + min);
    }

    static double number(String text, double fallback, String what) {
        if (text == null) {
            return fallback;
        }
        try {
            double v = Double.parseDouble(text.strip());
            if (v >= 0 && Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new IllegalArgumentException(what + " \"" + text + "\" is not a number of at least 0");
    }

    static void putIfPresent(ObjectNode n, String field, String value) {
        if (value != null && !value.isBlank()) {
            n.put(field, value);
        }
    }
}
