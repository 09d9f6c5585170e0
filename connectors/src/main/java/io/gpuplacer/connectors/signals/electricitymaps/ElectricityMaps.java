package io.gpuplacer.connectors.signals.electricitymaps;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.connectors.signals.HttpJson;
import io.gpuplacer.connectors.signals.SignalPoint;
import io.gpuplacer.connectors.signals.SignalSource;
import io.gpuplacer.connectors.signals.SourceException;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Electricity Maps v3 (header {@code auth-token}): {@code /v3/carbon-intensity/history?zone=Z} (the last 24
 * hours) and {@code /v3/carbon-intensity/forecast?zone=Z}, each {@code {"zone", "history"|"forecast": [{
 * "carbonIntensity", "datetime", "isEstimated", "estimationMethod", "emissionFactorType"}]}} in g CO2e/kWh. A
 * measured hour wins over a forecast of the same hour; forecast hours are estimated.
 */
public final class ElectricityMaps implements SignalSource {

    private final HttpJson http;
    private final URI base;
    private final String zone;
    private final String token;

    public ElectricityMaps(HttpJson http, URI base, String zone, String token) {
        this.http = http;
        this.base = base;
        this.zone = zone;
        this.token = token;
    }

    @Override
    public String provider() {
        return "electricitymaps";
    }

    @Override
    public List<SignalPoint> fetch(Instant from, int hours) throws SourceException {
        if (token == null || token.isBlank()) {
            throw new SourceException(SourceException.Kind.CONFIGURATION, "electricitymaps: no token configured "
                    + "for zone " + zone);
        }
        Map<Instant, SignalPoint> byHour = new TreeMap<>();
        read("forecast", byHour); // first, so that a measured hour replaces it
        read("history", byHour);
        Instant end = from.plus(hours, ChronoUnit.HOURS);
        return byHour.values().stream().filter(p -> !p.hour().isBefore(from) && p.hour().isBefore(end)).toList();
    }

    private void read(String kind, Map<Instant, SignalPoint> byHour) throws SourceException {
        URI uri = URI.create(base.toString().replaceAll("/+$", "") + "/v3/carbon-intensity/" + kind + "?zone="
                + URLEncoder.encode(zone, StandardCharsets.UTF_8));
        JsonNode points = http.get(uri, Map.of("auth-token", token)).path(kind);
        if (!points.isArray()) {
            throw malformed("no \"" + kind + "\" array");
        }
        Map<Instant, SignalPoint> read = new TreeMap<>(); // applied only once every point has read
        for (int i = 0; i < points.size(); i++) {
            JsonNode p = points.get(i);
            String where = kind + "[" + i + "]";
            JsonNode value = p.path("carbonIntensity");
            if (!value.isNumber() || value.asDouble() < 0 || value.asDouble() > 10_000) {
                throw malformed(where + ".carbonIntensity " + value + " is not a number of 0..10000 g/kWh");
            }
            Instant hour;
            try {
                hour = Instant.parse(p.path("datetime").asText()).truncatedTo(ChronoUnit.HOURS);
            } catch (DateTimeParseException e) {
                throw malformed(where + ".datetime \"" + p.path("datetime").asText() + "\" is not an instant");
            }
            boolean estimated = kind.equals("forecast") || p.path("isEstimated").asBoolean(false);
            String method = p.path("estimationMethod").isTextual() ? p.path("estimationMethod").asText()
                    : kind.equals("forecast") ? "forecast" : null;
            String factor = p.path("emissionFactorType").isTextual() ? p.path("emissionFactorType").asText() : null;
            read.put(hour, new SignalPoint(hour, value.asDouble(), estimated, factor, method));
        }
        byHour.putAll(read);
    }

    private SourceException malformed(String what) {
        return new SourceException(SourceException.Kind.MALFORMED, "electricitymaps (" + zone + "): " + what
                + "; the whole answer is rejected");
    }
}
