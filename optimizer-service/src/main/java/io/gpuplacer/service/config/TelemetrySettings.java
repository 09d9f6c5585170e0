package io.gpuplacer.service.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;

import java.time.Duration;
import java.util.List;

/**
 * {@code gpuplacer.telemetry.*}: how the GPUs' telemetry is read from Prometheus.
 *
 * @param prometheus      where from ({@code prometheus.url}; none: no telemetry) and with which token
 * @param window          the window of the utilisation and power averages (1m..1d)
 * @param idleWindow      a task whose GPUs stayed under {@code idleUtilization} this long is idle (1m..7d)
 * @param idleUtilization the utilisation below which a GPU counts as idle (0..1)
 * @param staleAfter      telemetry older than this is no longer laid over the cluster (1s..7d)
 * @param unhealthyXids   the XID errors that take a GPU out of placement
 * @param refresh         how often Prometheus is read (1s..1d)
 * @param firstRead       when the first read is made after the start (0s..1d)
 * @param timeout         one request to Prometheus at most this long (100ms..10m)
 */
@ConfigurationProperties("gpuplacer.telemetry")
public record TelemetrySettings(
        Prometheus prometheus,
        @Bindable(defaultValue = "10m") Duration window,
        @Bindable(defaultValue = "30m") Duration idleWindow,
        @Bindable(defaultValue = "0.05")
        @DecimalMin(value = "0", message = "gpuplacer.telemetry.idle-utilization (GPUPLACER_TELEMETRY_IDLE_UTILIZATION) "
                + "must be 0..1")
        @DecimalMax(value = "1", message = "gpuplacer.telemetry.idle-utilization (GPUPLACER_TELEMETRY_IDLE_UTILIZATION) "
                + "must be 0..1")
        double idleUtilization,
        @Bindable(defaultValue = "5m") Duration staleAfter,
        @Bindable(defaultValue = "48,79,94,95") List<Integer> unhealthyXids,
        @Bindable(defaultValue = "1m") Duration refresh,
        @Bindable(defaultValue = "2s") Duration firstRead,
        @Bindable(defaultValue = "10s") Duration timeout) {

    public TelemetrySettings {
        Durations.within("gpuplacer.telemetry.window", window, "1m", "1d");
        Durations.within("gpuplacer.telemetry.idle-window", idleWindow, "1m", "7d");
        Durations.within("gpuplacer.telemetry.stale-after", staleAfter, "1s", "7d");
        Durations.within("gpuplacer.telemetry.refresh", refresh, "1s", "1d");
        Durations.within("gpuplacer.telemetry.first-read", firstRead, "0s", "1d");
        Durations.within("gpuplacer.telemetry.timeout", timeout, "100ms", "10m");
        unhealthyXids = List.copyOf(unhealthyXids);
    }

    /**
     * {@code gpuplacer.telemetry.prometheus.*}.
     *
     * @param url   Prometheus' base URL (http or https); empty: no telemetry
     * @param token a bearer token sent to it; empty: none
     */
    @ConfigurationProperties("prometheus")
    public record Prometheus(@Bindable(defaultValue = "") String url, @Bindable(defaultValue = "") String token) {
    }
}
