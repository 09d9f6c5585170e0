package io.gpuplacer.service.signals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes the sources' series into a signals document (interchange section 3) over the one in force: a zone's
 * carbon or price series that a source has data for is replaced by it; zones and series no source has data for
 * stay as they are (a PUT, or the bundled example). Where several sources serve one zone and signal, the first
 * in the configuration that has data wins (the others are fallbacks). Each point carries the fields the project
 * adds: {@code estimated}, {@code provider}, and where known {@code estimationMethod} and
 * {@code emissionFactorType}. Spot rates go to {@code "spot": {"<pool>": {"interruptionPerHour", ...}}}.
 */
public final class SignalsComposer {

    private SignalsComposer() {
    }

    public static ObjectNode compose(JsonNode inForce, List<SourceState> sources, Instant from, int hours) {
        ObjectNode doc = inForce != null && inForce.isObject() ? inForce.deepCopy()
                : JsonNodeFactory.instance.objectNode();
        if (!doc.path("zones").isObject()) {
            doc.putObject("zones");
        }
        Set<String> done = new HashSet<>();
        for (SourceState state : sources) {
            SourceSpec spec = state.spec();
            String slot = spec.target() + "/" + spec.signal().id();
            if (done.contains(slot)) {
                continue;
            }
            FilledSeries series = state.series(from, hours);
            if (series.hours().isEmpty()) {
                continue; // this source has nothing yet: a later one for the same zone may
            }
            done.add(slot);
            switch (spec.signal()) {
                case CARBON -> zone(doc, spec.target()).set("carbon", points(series, "gPerKWh", spec.provider()));
                case PRICE -> zone(doc, spec.target()).set("price", points(series, "usdPerMWh", spec.provider()));
                case SPOT -> spot(doc, spec, series.hours().get(0));
            }
        }
        return doc;
    }

    private static ObjectNode zone(ObjectNode doc, String zone) {
        ObjectNode zones = (ObjectNode) doc.get("zones");
        if (!zones.path(zone).isObject()) {
            zones.putObject(zone);
        }
        return (ObjectNode) zones.get(zone);
    }

    private static ArrayNode points(FilledSeries series, String valueField, String provider) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (FilledSeries.Hour h : series.hours()) {
            ObjectNode p = out.addObject();
            p.put("at", h.at().toString());
            p.put(valueField, h.value());
            p.put("estimated", h.estimated());
            p.put("provider", provider);
            if (h.estimationMethod() != null) {
                p.put("estimationMethod", h.estimationMethod());
            }
            if (h.emissionFactorType() != null) {
                p.put("emissionFactorType", h.emissionFactorType());
            }
        }
        return out;
    }

    private static void spot(ObjectNode doc, SourceSpec spec, FilledSeries.Hour now) {
        if (!doc.path("spot").isObject()) {
            doc.putObject("spot");
        }
        ObjectNode pool = ((ObjectNode) doc.get("spot")).putObject(spec.target());
        pool.put("interruptionPerHour", now.value());
        pool.put("provider", spec.provider());
        pool.put("estimated", now.estimated());
        if (now.estimationMethod() != null) {
            pool.put("estimationMethod", now.estimationMethod());
        }
    }
}
