package io.gpuplacer.service.telemetry;

import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code GET /v1/telemetry}: what the GPUs reported and what the model makes of it. */
@Schema(name = "Telemetry", description = "GPU telemetry (DCGM through Prometheus) and what the model takes from it")
public record TelemetryResponse(
        @Schema(description = "false: gpuplacer.telemetry.prometheus.url is not set") boolean configured,
        @Nullable @Schema(description = "the end of the window the figures are over") Instant at,
        long windowSeconds,
        @Nullable @Schema(description = "DCGM_FI_PROF_GR_ENGINE_ACTIVE or DCGM_FI_DEV_GPU_UTIL") String utilizationMetric,
        @Nullable Instant lastSuccess,
        @Nullable Long ageSeconds,
        @Schema(description = "true: the model takes these figures; false: too old or none, the declared ones are used") boolean inForce,
        @Nullable String lastError,
        int gpusReporting,
        @Schema(description = "hosts that report but are no node of the cluster") Set<String> unknownHosts,
        List<TelemetryOverlay.Unhealthy> unhealthy,
        @Schema(description = "running work whose GPUs stayed below the idle threshold for the idle window, per team") Map<String, List<TelemetryOverlay.Idle>> idleByTeam,
        List<TelemetryOverlay.TaskFigures> tasks) {
}
