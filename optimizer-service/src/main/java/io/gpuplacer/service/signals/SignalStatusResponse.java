package io.gpuplacer.service.signals;

import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** How fresh each configured signal source is. */
@Schema(name = "SignalStatus", description = "Freshness of every configured signal source")
public record SignalStatusResponse(List<Source> sources) {

    /**
     * One source: when it last answered, how much of the horizon from the current hour it covers, how many of the
     * horizon's hours in force are estimated (by the provider, or filled where it had none), and its last error.
     */
    @Schema(name = "SignalSourceStatus")
    public record Source(@Schema(description = "grid zone, or the spot pool for signal spot") String zone,
                         @Schema(allowableValues = {"carbon", "price", "spot"}) String signal,
                         String provider,
                         @Nullable Instant lastSuccess,
                         @Nullable @Schema(description = "seconds since lastSuccess; null before the first") Long ageSeconds,
                         @Schema(description = "hours of the horizon the provider gave") int horizonHoursCovered,
                         @Schema(description = "hours of the horizon in force that are estimated") int estimatedHours,
                         @Nullable Instant lastAttempt,
                         @Nullable @Schema(description = "why the last fetch failed; null when it succeeded") String lastError) {
    }
}
