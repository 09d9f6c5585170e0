package io.gpuplacer.connectors.telemetry.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.connectors.signals.HttpJson;
import io.gpuplacer.connectors.signals.SourceException;
import io.gpuplacer.connectors.telemetry.GpuReading;
import io.gpuplacer.connectors.telemetry.GpuTelemetry;
import io.gpuplacer.connectors.telemetry.TelemetrySnapshot;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The NVIDIA DCGM exporter's metrics through the Prometheus HTTP API ({@code /api/v1/query} at a given time):
 * utilisation from {@code DCGM_FI_PROF_GR_ENGINE_ACTIVE} (0..1) where the exporter has it, else
 * {@code DCGM_FI_DEV_GPU_UTIL} (percent); {@code DCGM_FI_DEV_POWER_USAGE} (W);
 * {@code DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION} (a mJ counter, read with {@code increase}, which handles its resets);
 * {@code DCGM_FI_DEV_XID_ERRORS} (the last XID code, every sample of the window looked at);
 * {@code DCGM_FI_DEV_ECC_DBE_VOL_TOTAL}. Series are keyed by {@code Hostname} (or {@code hostname}), {@code gpu}
 * and {@code GPU_I_ID} (MIG); {@code pod}/{@code namespace} (or {@code exported_pod}/{@code exported_namespace}) are
 * kept where present.
 */
public final class PrometheusTelemetry implements GpuTelemetry {

    static final String ENGINE_ACTIVE = "DCGM_FI_PROF_GR_ENGINE_ACTIVE";
    static final String GPU_UTIL = "DCGM_FI_DEV_GPU_UTIL";

    private final HttpJson http;
    private final URI base;
    private final Map<String, String> headers;
    private final Duration window;
    private final Duration idleWindow;
    private final Set<Integer> xids;

    public PrometheusTelemetry(HttpJson http, URI base, Map<String, String> headers, Duration window,
                               Duration idleWindow, Set<Integer> xids) {
        this.http = http;
        this.base = URI.create(base.toString().replaceAll("/+$", ""));
        this.headers = Map.copyOf(headers);
        this.window = window;
        this.idleWindow = idleWindow;
        this.xids = Set.copyOf(xids);
    }

    private record Key(String host, int gpu, Integer instance) {
    }

    /** Labels and figures of one series as they are gathered. */
    private static final class Builder {
        String uuid;
        String pod;
        String namespace;
        Double utilization;
        Double peak;
        Double power;
        Double energy;
        Integer xid;
        Double ecc;
    }

    @Override
    public TelemetrySnapshot read(Instant at) throws SourceException {
        Map<Key, Builder> series = new LinkedHashMap<>();
        String w = range(window);
        String metric = ENGINE_ACTIVE;
        String scale = "";
        if (vector("count(" + ENGINE_ACTIVE + ")", at).isEmpty()) {
            metric = GPU_UTIL;
            scale = " / 100";
        }
        for (Sample s : vector("avg_over_time(" + metric + "[" + w + "])" + scale, at)) {
            builder(series, s).utilization = clamp(s.value());
        }
        for (Sample s : vector("max_over_time(" + metric + "[" + range(idleWindow) + "])" + scale, at)) {
            builder(series, s).peak = clamp(s.value());
        }
        for (Sample s : vector("avg_over_time(DCGM_FI_DEV_POWER_USAGE[" + w + "])", at)) {
            builder(series, s).power = s.value();
        }
        for (Sample s : vector("increase(DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION[" + w + "]) / 1000", at)) {
            builder(series, s).energy = s.value();
        }
        for (Series s : matrix("DCGM_FI_DEV_XID_ERRORS[" + w + "]", at)) {
            for (double v : s.values()) {
                if (xids.contains((int) v)) {
                    builder(series, s.sample()).xid = (int) v;
                }
            }
        }
        for (Sample s : vector("max_over_time(DCGM_FI_DEV_ECC_DBE_VOL_TOTAL[" + w + "])", at)) {
            builder(series, s).ecc = s.value();
        }
        List<GpuReading> out = new ArrayList<>();
        series.forEach((k, b) -> out.add(new GpuReading(k.host(), k.gpu(), b.uuid, k.instance(), b.pod,
                b.namespace, b.utilization, b.peak, b.power, b.energy, b.xid, b.ecc)));
        return new TelemetrySnapshot(at, window, metric, List.copyOf(out));
    }

    private record Sample(Map<String, String> labels, double value) {
    }

    private record Series(Sample sample, List<Double> values) {
    }

    private static Builder builder(Map<Key, Builder> series, Sample s) throws SourceException {
        String host = first(s.labels(), "Hostname", "hostname");
        String gpu = s.labels().get("gpu");
        if (host == null || gpu == null) {
            throw new SourceException(SourceException.Kind.MALFORMED, "prometheus: a DCGM series without "
                    + "Hostname/hostname or gpu label: " + s.labels());
        }
        int index;
        try {
            index = Integer.parseInt(gpu);
        } catch (NumberFormatException e) {
            throw new SourceException(SourceException.Kind.MALFORMED, "prometheus: gpu label \"" + gpu
                    + "\" is not an index");
        }
        String instance = s.labels().get("GPU_I_ID");
        Integer mig = instance == null || instance.isEmpty() ? null : parseOrNull(instance);
        Builder b = series.computeIfAbsent(new Key(host, index, mig), k -> new Builder());
        b.uuid = b.uuid != null ? b.uuid : s.labels().get("UUID");
        b.pod = b.pod != null ? b.pod : blankToNull(first(s.labels(), "pod", "exported_pod"));
        b.namespace = b.namespace != null ? b.namespace : blankToNull(first(s.labels(), "namespace",
                "exported_namespace"));
        return b;
    }

    private List<Sample> vector(String query, Instant at) throws SourceException {
        JsonNode data = query(query, at, "vector");
        List<Sample> out = new ArrayList<>();
        for (JsonNode r : data.path("result")) {
            out.add(new Sample(labels(r), number(r.path("value").path(1), query)));
        }
        return out;
    }

    private List<Series> matrix(String query, Instant at) throws SourceException {
        JsonNode data = query(query, at, "matrix");
        List<Series> out = new ArrayList<>();
        for (JsonNode r : data.path("result")) {
            List<Double> values = new ArrayList<>();
            for (JsonNode v : r.path("values")) {
                values.add(number(v.path(1), query));
            }
            out.add(new Series(new Sample(labels(r), values.isEmpty() ? Double.NaN : values.get(values.size() - 1)),
                    values));
        }
        return out;
    }

    private JsonNode query(String query, Instant at, String type) throws SourceException {
        URI uri = URI.create(base + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&time=" + at.getEpochSecond());
        JsonNode body = http.get(uri, headers);
        if (!"success".equals(body.path("status").asText())) {
            throw new SourceException(SourceException.Kind.MALFORMED, "prometheus: query " + query + " answered "
                    + body.path("errorType").asText("no status") + ": " + body.path("error").asText(""));
        }
        JsonNode data = body.path("data");
        if (!type.equals(data.path("resultType").asText()) || !data.path("result").isArray()) {
            throw new SourceException(SourceException.Kind.MALFORMED, "prometheus: query " + query + " gave "
                    + data.path("resultType").asText("nothing") + ", not a " + type);
        }
        return data;
    }

    private static Map<String, String> labels(JsonNode result) {
        Map<String, String> labels = new LinkedHashMap<>();
        result.path("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    private static double number(JsonNode value, String query) throws SourceException {
        try {
            return Double.parseDouble(value.asText());
        } catch (NumberFormatException e) {
            throw new SourceException(SourceException.Kind.MALFORMED, "prometheus: query " + query + " gave \""
                    + value.asText() + "\", not a number");
        }
    }

    /** Prometheus' duration syntax: whole seconds. */
    static String range(Duration d) {
        return Math.max(1, d.toSeconds()) + "s";
    }

    private static double clamp(double v) {
        return Double.isNaN(v) ? v : Math.max(0, Math.min(1, v));
    }

    private static String first(Map<String, String> labels, String a, String b) {
        String v = labels.get(a);
        return v != null && !v.isEmpty() ? v : labels.get(b);
    }

    private static String blankToNull(String v) {
        return v == null || v.isEmpty() ? null : v;
    }

    private static Integer parseOrNull(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
