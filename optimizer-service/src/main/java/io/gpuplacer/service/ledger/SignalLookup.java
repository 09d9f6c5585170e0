package io.gpuplacer.service.ledger;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A zone's carbon intensity and power price for an hour, by interchange section 3 (the last point at or before the
 * hour; before the first point, the first point), with the point's provider and whether it is estimated. A value
 * taken from a point after the hour, or missing (0), counts as estimated.
 */
final class SignalLookup {

    record Value(double value, String provider, boolean estimated) {
    }

    private final Map<String, TreeMap<Instant, JsonNode>> series = new HashMap<>();

    SignalLookup(JsonNode signals) {
        JsonNode zones = signals == null ? null : signals.path("zones");
        if (zones == null || !zones.isObject()) {
            return;
        }
        zones.fields().forEachRemaining(zone -> {
            for (String kind : new String[]{"carbon", "price"}) {
                TreeMap<Instant, JsonNode> points = new TreeMap<>();
                for (JsonNode p : zone.getValue().path(kind)) {
                    try {
                        points.put(Instant.parse(p.path("at").asText()), p);
                    } catch (java.time.format.DateTimeParseException e) {
                        // signals in force were validated; nothing else reaches here
                    }
                }
                series.put(zone.getKey() + "/" + kind, points);
            }
        });
    }

    Value carbon(String zone, Instant hour) {
        return value(zone + "/carbon", "gPerKWh", hour);
    }

    Value price(String zone, Instant hour) {
        return value(zone + "/price", "usdPerMWh", hour);
    }

    private Value value(String key, String field, Instant hour) {
        TreeMap<Instant, JsonNode> points = series.get(key);
        if (points == null || points.isEmpty()) {
            return new Value(0, null, true);
        }
        var at = points.floorEntry(hour);
        JsonNode p = (at != null ? at : points.firstEntry()).getValue();
        String provider = p.path("provider").isTextual() ? p.path("provider").asText() : null;
        return new Value(p.path(field).asDouble(), provider, at == null || p.path("estimated").asBoolean(false));
    }
}
