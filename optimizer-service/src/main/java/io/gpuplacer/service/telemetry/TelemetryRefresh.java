package io.gpuplacer.service.telemetry;

import io.gpuplacer.service.state.TaskKey;
import io.gpuplacer.service.config.TelemetrySettings;
import io.gpuplacer.connectors.signals.HttpJson;
import io.gpuplacer.connectors.signals.SourceException;
import io.gpuplacer.connectors.telemetry.GpuTelemetry;
import io.gpuplacer.connectors.telemetry.TelemetrySnapshot;
import io.gpuplacer.connectors.telemetry.prometheus.PrometheusTelemetry;
import io.gpuplacer.service.config.Modes;
import io.gpuplacer.service.state.ClusterState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the GPUs' telemetry every {@code gpuplacer.telemetry.refresh} (each replica for itself: the queries only
 * read) and lays it over the cluster for the model while it is fresh; older than
 * {@code gpuplacer.telemetry.stale-after}, or failing since, the model goes back to the declared figures.
 */
@Singleton
@Requires(notEnv = Modes.TOOL)
public class TelemetryRefresh {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryRefresh.class);

    private final GpuTelemetry telemetry;
    private final ClusterState state;
    private final Clock clock;
    private final Duration window;
    private final Duration staleAfter;
    private final double idleUtilization;
    private volatile TelemetrySnapshot snapshot;
    private volatile Instant lastSuccess;
    private volatile String lastError;
    private volatile boolean inForce;
    private final HourlyTelemetry hourly = new HourlyTelemetry();

    public TelemetryRefresh(ClusterState state, Clock clock, MeterRegistry metrics, TelemetrySettings settings) {
        this.state = state;
        this.clock = clock;
        this.window = settings.window();
        this.staleAfter = settings.staleAfter();
        this.idleUtilization = settings.idleUtilization();
        String url = settings.prometheus().url();
        String token = settings.prometheus().token();
        this.telemetry = url.isBlank() ? null : new PrometheusTelemetry(new HttpJson(settings.timeout(), 2,
                Duration.ofSeconds(1)), prometheusUrl(url), token.isBlank() ? Map.of()
                : Map.of("Authorization", "Bearer " + token), window, settings.idleWindow(),
                new HashSet<>(settings.unhealthyXids()));
        Gauge.builder("gpuplacer.telemetry.age.seconds", this, t -> t.lastSuccess == null ? Double.NaN
                : Duration.between(t.lastSuccess, clock.instant()).toSeconds())
                .description("seconds since Prometheus last answered (NaN: never)").register(metrics);
        Gauge.builder("gpuplacer.telemetry.unhealthy.gpus", this, t -> t.snapshot == null ? 0
                : TelemetryOverlay.unhealthy(t.snapshot).size())
                .description("GPUs with a listed XID or a double-bit ECC error").register(metrics);
        Gauge.builder("gpuplacer.telemetry.idle.tasks", this, t -> t.response().idleByTeam().values().stream()
                        .mapToInt(List::size).sum())
                .description("running tasks whose GPUs stayed idle for the idle window").register(metrics);
    }

    private static URI prometheusUrl(String url) {
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("gpuplacer.telemetry.prometheus.url: \"" + url
                    + "\" is not an http(s) URL");
        }
        return uri;
    }

    @Scheduled(fixedDelay = "${gpuplacer.telemetry.refresh:1m}", initialDelay = "${gpuplacer.telemetry.first-read:2s}")
    public synchronized void refresh() {
        if (telemetry == null) {
            return;
        }
        Instant now = clock.instant();
        try {
            TelemetrySnapshot next = telemetry.read(now);
            snapshot = next;
            lastSuccess = now;
            lastError = null;
            inForce = true;
            state.overlay(cluster -> TelemetryOverlay.apply(cluster, next));
            com.fasterxml.jackson.databind.JsonNode cluster = state.documents().cluster();
            hourly.record(now, measuredUtilization(cluster), measuredPower(cluster));
        } catch (SourceException e) {
            lastError = e.kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + e.getMessage();
            LOG.warn("telemetry: {}", lastError);
            if (inForce && (lastSuccess == null || lastSuccess.plus(staleAfter).isBefore(now))) {
                inForce = false;
                state.overlay(null);
                LOG.warn("telemetry older than {}: the model takes the declared utilisation again", staleAfter);
            }
        }
    }

    /** Each running task's measured utilisation ("job#task"), while the telemetry is in force; else none. */
    public java.util.Map<String, Double> measuredUtilization(com.fasterxml.jackson.databind.JsonNode cluster) {
        return perTask(cluster, TelemetryOverlay.TaskFigures::measuredUtilization);
    }

    /**
     * Each running task's mean measured utilisation over the readings of that clock hour ("job#task"); the
     * figures in force now for an hour of which nothing was read (older than the hours kept, or before this
     * replica started: each replica reads the telemetry itself).
     */
    public java.util.Map<String, Double> measuredUtilization(com.fasterxml.jackson.databind.JsonNode cluster,
                                                             Instant hour) {
        java.util.Map<String, Double> then = hourly.utilization(hour);
        return then != null ? then : measuredUtilization(cluster);
    }

    /** The same for the measured power. */
    public java.util.Map<String, Double> measuredPower(com.fasterxml.jackson.databind.JsonNode cluster, Instant hour) {
        java.util.Map<String, Double> then = hourly.watts(hour);
        return then != null ? then : measuredPower(cluster);
    }

    /**
     * Each running task's share of its GPUs' measured power in watts ("job#task"), where all its GPUs reported,
     * while the telemetry is in force; else none.
     */
    public java.util.Map<String, Double> measuredPower(com.fasterxml.jackson.databind.JsonNode cluster) {
        return perTask(cluster, TelemetryOverlay.TaskFigures::powerWatts);
    }

    private java.util.Map<String, Double> perTask(com.fasterxml.jackson.databind.JsonNode cluster,
                                                  java.util.function.Function<TelemetryOverlay.TaskFigures, Double> figure) {
        TelemetrySnapshot s = snapshot;
        if (!inForce || s == null) {
            return Map.of();
        }
        java.util.Map<String, Double> out = new java.util.HashMap<>();
        for (TelemetryOverlay.TaskFigures t : TelemetryOverlay.view(cluster, s, idleUtilization).tasks()) {
            Double v = figure.apply(t);
            if (v != null) {
                out.put(TaskKey.of(t.job(), t.task()), v);
            }
        }
        return out;
    }

    public TelemetryResponse response() {
        TelemetrySnapshot s = snapshot;
        Instant success = lastSuccess;
        if (telemetry == null || s == null) {
            return new TelemetryResponse(telemetry != null, null, window.toSeconds(), null, success, null, false,
                    lastError, 0, Set.of(), List.of(), Map.of(), List.of());
        }
        TelemetryOverlay.View view = TelemetryOverlay.view(state.documents().cluster(), s, idleUtilization);
        return new TelemetryResponse(true, s.at(), s.window().toSeconds(), s.utilizationMetric(), success,
                Duration.between(success, clock.instant()).toSeconds(), inForce, lastError, s.gpus().size(),
                view.unknownHosts(), view.unhealthy(), view.idleByTeam(), view.tasks());
    }
}
