package io.gpuplacer.service.api.schema;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

/** Interchange section 3: carbon intensity and power price per zone. */
@Schema(name = "Signals", description = "Carbon and price series per zone (interchange v1.1 section 3)")
public record SignalsDocument(@Schema(requiredMode = REQUIRED) Map<String, ZoneSignals> zones,
                              @Schema(description = "interruption rate per spot pool; SPOT nodes naming the pool "
                                      + "(their \"pool\") take it") Map<String, SpotPool> spot) {

    @Schema(name = "ZoneSignals")
    public record ZoneSignals(List<CarbonPoint> carbon, List<PricePoint> price) {
    }

    @Schema(name = "CarbonPoint", description = "estimated and the fields after it are the project's additions; "
            + "points fetched from a source carry them")
    public record CarbonPoint(@Schema(requiredMode = REQUIRED) Instant at,
                              @Schema(requiredMode = REQUIRED, minimum = "0", maximum = "10000") double gPerKWh,
                              @Schema(description = "a forecast, a provider's estimate, or an hour filled where the "
                                      + "source had none; default false") Boolean estimated,
                              @Schema(description = "the source's provider") String provider,
                              String estimationMethod,
                              @Schema(description = "e.g. lifecycle, direct, average, marginal") String emissionFactorType) {
    }

    @Schema(name = "PricePoint")
    public record PricePoint(@Schema(requiredMode = REQUIRED) Instant at,
                             @Schema(requiredMode = REQUIRED, minimum = "-100000", maximum = "100000") double usdPerMWh,
                             @Schema(description = "default false") Boolean estimated, String provider,
                             String estimationMethod) {
    }

    /** The interruption rate in force for the SPOT nodes naming a pool (the project's addition). */
    @Schema(name = "SpotPool")
    public record SpotPool(@Schema(requiredMode = REQUIRED, minimum = "0", maximum = "1") double interruptionPerHour,
                           String provider, Boolean estimated, String estimationMethod) {
    }
}
