package io.gpuplacer.connectors.signals.watttime;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.connectors.signals.HttpJson;
import io.gpuplacer.connectors.signals.SignalPoint;
import io.gpuplacer.connectors.signals.SignalSource;
import io.gpuplacer.connectors.signals.SourceException;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * WattTime v3: {@code GET /login} with HTTP Basic gives a bearer token good for 30 minutes (renewed after 25, and
 * once more when a call answers 401); {@code /v3/historical} and {@code /v3/forecast} with {@code signal_type}
 * {@code co2_moer} (marginal) or {@code co2_aoer} (average) give 5-minute {@code {point_time, value}} in lbs/MWh,
 * here g/kWh (x 0.45359237) averaged to hours. Forecast hours, and hours with fewer than 12 points, are estimated.
 * Calls are spaced at least 100 ms apart (WattTime allows 10 per second).
 */
public final class WattTime implements SignalSource {

    /** Grams per pound, over kWh per MWh: lbs/MWh to g/kWh. */
    public static final double G_PER_KWH_PER_LBS_PER_MWH = 453.59237 / 1000;
    private static final Duration TOKEN_LIFE = Duration.ofMinutes(25);
    private static final long MIN_SPACING_NANOS = 100_000_000L;

    private final HttpJson http;
    private final URI base;
    private final String region;
    private final String signalType;
    private final String username;
    private final String password;
    private final Clock clock;
    private String token;
    private Instant tokenAt;
    private long lastCallNanos;

    public WattTime(HttpJson http, URI base, String region, String signalType, String username, String password,
                    Clock clock) throws SourceException {
        if (!signalType.equals("co2_moer") && !signalType.equals("co2_aoer")) {
            throw new SourceException(SourceException.Kind.CONFIGURATION, "watttime: signal_type \"" + signalType
                    + "\" is not co2_moer (marginal) or co2_aoer (average)");
        }
        this.http = http;
        this.base = URI.create(base.toString().replaceAll("/+$", ""));
        this.region = region;
        this.signalType = signalType;
        this.username = username;
        this.password = password;
        this.clock = clock;
    }

    @Override
    public String provider() {
        return "watttime";
    }

    @Override
    public synchronized List<SignalPoint> fetch(Instant from, int hours) throws SourceException {
        Instant end = from.plus(hours, ChronoUnit.HOURS);
        Map<Instant, double[]> forecast = hourly(call("/v3/forecast?region=" + q(region) + "&signal_type="
                + signalType), "forecast");
        Map<Instant, double[]> history = hourly(call("/v3/historical?region=" + q(region) + "&signal_type="
                + signalType + "&start=" + q(from.toString()) + "&end=" + q(end.toString())), "historical");
        Map<Instant, SignalPoint> byHour = new TreeMap<>();
        String factor = signalType.equals("co2_moer") ? "marginal" : "average";
        forecast.forEach((hour, acc) -> byHour.put(hour, new SignalPoint(hour, acc[0] / acc[1], true, factor,
                "forecast")));
        history.forEach((hour, acc) -> byHour.put(hour, new SignalPoint(hour, acc[0] / acc[1], acc[1] < 12, factor,
                acc[1] < 12 ? "partial hour (" + (int) acc[1] + " of 12 points)" : null)));
        return byHour.values().stream().filter(p -> !p.hour().isBefore(from) && p.hour().isBefore(end)).toList();
    }

    /** A data call with a fresh token; a 401 gets one new login, then counts. */
    private JsonNode call(String pathAndQuery) throws SourceException {
        URI uri = URI.create(base + pathAndQuery);
        if (token == null || Duration.between(tokenAt, clock.instant()).compareTo(TOKEN_LIFE) >= 0) {
            login();
        }
        try {
            return spaced(uri, Map.of("Authorization", "Bearer " + token));
        } catch (SourceException e) {
            if (e.kind() != SourceException.Kind.CONFIGURATION) {
                throw e;
            }
            login(); // the token may have ended early
            return spaced(uri, Map.of("Authorization", "Bearer " + token));
        }
    }

    private void login() throws SourceException {
        if (username == null || username.isBlank() || password == null) {
            throw new SourceException(SourceException.Kind.CONFIGURATION, "watttime: no username and password "
                    + "configured");
        }
        String basic = Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        JsonNode answer = spaced(URI.create(base + "/login"), Map.of("Authorization", "Basic " + basic));
        if (!answer.path("token").isTextual() || answer.path("token").asText().isBlank()) {
            throw new SourceException(SourceException.Kind.MALFORMED, "watttime: /login answered without a token");
        }
        token = answer.path("token").asText();
        tokenAt = clock.instant();
    }

    private JsonNode spaced(URI uri, Map<String, String> headers) throws SourceException {
        long wait = lastCallNanos + MIN_SPACING_NANOS - System.nanoTime();
        if (lastCallNanos != 0 && wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SourceException(SourceException.Kind.UNAVAILABLE, "watttime: interrupted", e);
            }
        }
        try {
            return http.get(uri, headers);
        } finally {
            lastCallNanos = System.nanoTime();
        }
    }

    /** 5-minute points to hours: sum (g/kWh) and count per hour; a bad point rejects the answer. */
    private Map<Instant, double[]> hourly(JsonNode answer, String kind) throws SourceException {
        JsonNode units = answer.path("meta").path("units");
        if (units.isTextual() && !units.asText().equals("lbs_co2_per_mwh")) {
            throw malformed(kind + ": units \"" + units.asText() + "\", expected lbs_co2_per_mwh");
        }
        JsonNode data = answer.path("data");
        if (!data.isArray()) {
            throw malformed(kind + ": no \"data\" array");
        }
        Map<Instant, double[]> byHour = new TreeMap<>();
        for (int i = 0; i < data.size(); i++) {
            JsonNode p = data.get(i);
            JsonNode value = p.path("value");
            if (!value.isNumber() || value.asDouble() < 0 || value.asDouble() > 22_000) {
                throw malformed(kind + ".data[" + i + "].value " + value + " is not a number of 0..22000 lbs/MWh");
            }
            Instant at;
            try {
                at = Instant.parse(p.path("point_time").asText());
            } catch (DateTimeParseException e) {
                throw malformed(kind + ".data[" + i + "].point_time \"" + p.path("point_time").asText()
                        + "\" is not an instant");
            }
            double[] acc = byHour.computeIfAbsent(at.truncatedTo(ChronoUnit.HOURS), h -> new double[2]);
            acc[0] += value.asDouble() * G_PER_KWH_PER_LBS_PER_MWH;
            acc[1] += 1;
        }
        return byHour;
    }

    private static String q(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private SourceException malformed(String what) {
        return new SourceException(SourceException.Kind.MALFORMED, "watttime (" + region + "): " + what
                + "; the whole answer is rejected");
    }
}
