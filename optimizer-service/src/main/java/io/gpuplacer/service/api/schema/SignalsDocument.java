package io.gpuplacer.service.api.schema;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

/** Interchange section 3: carbon intensity and power price per zone. */
@Schema(name = "Signals", description = "Carbon and price series per zone (interchange v1.1 section 3)")
public record SignalsDocument(@Schema(requiredMode = REQUIRED) Map<String, ZoneSignals> zones) {

    @Schema(name = "ZoneSignals")
    public record ZoneSignals(List<CarbonPoint> carbon, List<PricePoint> price) {
    }

    @Schema(name = "CarbonPoint")
    public record CarbonPoint(@Schema(requiredMode = REQUIRED) Instant at,
                              @Schema(requiredMode = REQUIRED, minimum = "0", maximum = "10000") double gPerKWh) {
    }

    @Schema(name = "PricePoint")
    public record PricePoint(@Schema(requiredMode = REQUIRED) Instant at,
                             @Schema(requiredMode = REQUIRED, minimum = "-100000", maximum = "100000") double usdPerMWh) {
    }
}
