package io.gpuplacer.connectors.signals.ukcarbon;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.connectors.signals.HttpJson;
import io.gpuplacer.connectors.signals.SignalPoint;
import io.gpuplacer.connectors.signals.SignalSource;
import io.gpuplacer.connectors.signals.SourceException;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The UK's Carbon Intensity API (NESO; no key): {@code /intensity/{from}/fw48h} for Great Britain, or
 * {@code /regional/intensity/{from}/fw48h/regionid/{id}} for a region. Half-hourly {@code {from, to, intensity:
 * {forecast, actual}}} in g CO2/kWh become hours: the mean of the hour's half-hours, each its {@code actual}
 * where there is one, else its {@code forecast}; an hour that rests on a forecast, or has one half-hour only, is
 * estimated. The API counts the direct emissions of generation ({@code direct}).
 */
public final class UkCarbonIntensity implements SignalSource {

    private static final DateTimeFormatter FROM = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int MAX_HOURS = 48;

    private final HttpJson http;
    private final URI base;
    private final Integer regionId;

    /** {@code regionId} null: Great Britain as a whole. */
    public UkCarbonIntensity(HttpJson http, URI base, Integer regionId) {
        this.http = http;
        this.base = base;
        this.regionId = regionId;
    }

    @Override
    public String provider() {
        return "uk-carbon-intensity";
    }

    /**
     * One call per 48 hours asked (the API's window), the next one only when the previous came back full: a
     * window that ends early is where the forecast ends. A call that fails fails the whole fetch.
     */
    @Override
    public List<SignalPoint> fetch(Instant from, int hours) throws SourceException {
        List<SignalPoint> out = new ArrayList<>();
        for (int offset = 0; offset < hours; offset += MAX_HOURS) {
            int asked = Math.min(MAX_HOURS, hours - offset);
            List<SignalPoint> window = window(from.plus(offset, ChronoUnit.HOURS), asked);
            out.addAll(window);
            if (window.isEmpty() || !window.get(window.size() - 1).hour()
                    .equals(from.plus(offset + asked - 1, ChronoUnit.HOURS))) {
                break;
            }
        }
        return out;
    }

    private List<SignalPoint> window(Instant from, int hours) throws SourceException {
        String path = (regionId == null ? "/intensity/" : "/regional/intensity/") + FROM.format(from) + "/fw48h"
                + (regionId == null ? "" : "/regionid/" + regionId);
        JsonNode body = http.get(URI.create(base.toString().replaceAll("/+$", "") + path), Map.of());
        JsonNode data = body.path("data");
        if (data.isObject()) { // the regional answer: {"data": {"regionid", ..., "data": [...]}}
            data = data.path("data");
        }
        if (!data.isArray()) {
            throw malformed("no \"data\" array");
        }
        Map<Instant, double[]> byHour = new TreeMap<>(); // sum, half-hours, forecasts used
        for (int i = 0; i < data.size(); i++) {
            JsonNode point = data.get(i);
            Instant start = instant(point.path("from"), i);
            JsonNode intensity = point.path("intensity");
            JsonNode actual = intensity.path("actual");
            JsonNode forecast = intensity.path("forecast");
            boolean hasActual = actual.isNumber();
            if (!hasActual && !forecast.isNumber()) {
                throw malformed("data[" + i + "].intensity has neither a numeric actual nor a forecast");
            }
            double value = hasActual ? actual.asDouble() : forecast.asDouble();
            if (value < 0 || value > 10_000) {
                throw malformed("data[" + i + "].intensity " + value + " is outside 0..10000 g/kWh");
            }
            double[] acc = byHour.computeIfAbsent(start.truncatedTo(ChronoUnit.HOURS), h -> new double[3]);
            acc[0] += value;
            acc[1] += 1;
            acc[2] += hasActual ? 0 : 1;
        }
        Instant end = from.plus(hours, ChronoUnit.HOURS);
        List<SignalPoint> out = new ArrayList<>();
        for (Map.Entry<Instant, double[]> e : byHour.entrySet()) {
            Instant hour = e.getKey();
            if (hour.isBefore(from) || !hour.isBefore(end)) {
                continue;
            }
            double[] acc = e.getValue();
            boolean estimated = acc[2] > 0 || acc[1] < 2;
            out.add(new SignalPoint(hour, acc[0] / acc[1], estimated, "direct", estimated
                    ? (acc[1] < 2 ? "one half-hour only" : "forecast") : null));
        }
        return out;
    }

    private static Instant instant(JsonNode text, int i) throws SourceException {
        if (!text.isTextual()) {
            throw malformed("data[" + i + "].from is missing");
        }
        try {
            return Instant.from(FROM.parse(text.asText()));
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text.asText());
            } catch (DateTimeParseException again) {
                throw malformed("data[" + i + "].from \"" + text.asText() + "\" is not a time like 2024-05-30T00:00Z");
            }
        }
    }

    private static SourceException malformed(String what) {
        return new SourceException(SourceException.Kind.MALFORMED, "uk-carbon-intensity: " + what
                + "; the whole answer is rejected");
    }
}
