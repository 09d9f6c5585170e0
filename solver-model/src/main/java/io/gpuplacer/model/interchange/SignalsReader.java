package io.gpuplacer.model.interchange;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.model.problem.SignalSeries;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the signals document (interchange section 3) into one {@link SignalSeries} per zone of the cluster: the
 * value of slot t is the last point at or before {@code now + t} hours, before the first point the first point;
 * a zone without a series uses 0, with a warning.
 */
final class SignalsReader {

    static final double MAX_CARBON = 10_000; // g/kWh; lignite is about 1,100
    static final double MAX_PRICE = 100_000; // USD/MWh, either sign; market caps are 4,000-15,000

    private SignalsReader() {
    }

    static Map<String, SignalSeries> read(JsonField doc, Set<String> zoneIds, Instant now,
                                                  int horizon, List<String> warnings) throws InputException {
        Map<String, SignalSeries> out = new LinkedHashMap<>();
        JsonField byZone = doc == null ? null : doc.object("zones");
        if (byZone != null) {
            var names = doc.raw("zones").fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!zoneIds.contains(name)) {
                    throw byZone.error(name, "\"" + name + "\"", "is not a zone of the cluster; known zones: " + zoneIds);
                }
            }
        }
        for (String zone : zoneIds) {
            JsonField z = byZone != null && byZone.has(zone) ? byZone.object(zone) : null;
            double[] carbon = new double[horizon];
            double[] price = new double[horizon];
            boolean[] estimated = new boolean[horizon];
            boolean hasCarbon = z != null && resolve(z, "carbon", "gPerKWh", 0.0, MAX_CARBON, now, carbon, estimated);
            boolean hasPrice = z != null
                    && resolve(z, "price", "usdPerMWh", -MAX_PRICE, MAX_PRICE, now, price, estimated);
            if (!hasCarbon) {
                warnings.add("zone " + zone + " has no carbon signal: its carbon intensity is taken as 0");
            }
            if (!hasPrice) {
                warnings.add("zone " + zone + " has no price signal: its power price is taken as 0");
            }
            out.put(zone, SignalSeries.of(carbon, price, estimated, hasCarbon, hasPrice));
        }
        return out;
    }

    /**
     * The interruption rate per spot pool, from the project's {@code "spot": {"<pool>": {"interruptionPerHour": x}}}
     * (fetched from a spot risk source or fixed by configuration); empty when the document has none.
     */
    static Map<String, Double> spotRates(JsonField doc) throws InputException {
        Map<String, Double> out = new LinkedHashMap<>();
        JsonField spot = doc == null || !doc.has("spot") ? null : doc.object("spot");
        if (spot == null) {
            return out;
        }
        var pools = doc.raw("spot").fieldNames();
        while (pools.hasNext()) {
            String pool = pools.next();
            out.put(pool, spot.object(pool).number("interruptionPerHour", 0.0, 1.0));
        }
        return out;
    }

    private record Point(double value, boolean estimated) {
    }

    /**
     * Fills {@code slots} by the rule of section 3 and marks in {@code estimated} the slots that take a point
     * flagged {@code "estimated": true} (a field the project adds; absent means measured); returns false when the
     * series is absent or empty.
     */
    private static boolean resolve(JsonField zone, String series, String valueField, double min, double max,
                                   Instant now, double[] slots, boolean[] estimated) throws InputException {
        List<JsonNode> points = zone.array(series, false);
        if (points.isEmpty()) {
            return false;
        }
        TreeMap<Instant, Point> byTime = new TreeMap<>();
        for (int i = 0; i < points.size(); i++) {
            JsonField p = new JsonField(points.get(i), zone.child(series) + "[" + i + "]");
            Instant at = p.instant("at");
            if (byTime.put(at, new Point(p.number(valueField, min, max), p.optBoolean("estimated", false))) != null) {
                throw p.error("at", "\"" + at + "\"", "appears twice in this series");
            }
        }
        for (int t = 0; t < slots.length; t++) {
            var entry = byTime.floorEntry(now.plusSeconds(3600L * t));
            Point point = (entry != null ? entry : byTime.firstEntry()).getValue();
            slots[t] = point.value();
            estimated[t] |= point.estimated();
        }
        return true;
    }
}
