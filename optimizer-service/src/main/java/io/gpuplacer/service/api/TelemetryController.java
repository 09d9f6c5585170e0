package io.gpuplacer.service.api;

import io.gpuplacer.service.security.Roles;
import io.gpuplacer.service.telemetry.TelemetryRefresh;
import io.gpuplacer.service.telemetry.TelemetryResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** GPU telemetry as the model takes it: unhealthy GPUs, idle work per team, each running task's figures. */
@AuthResponses
@Controller("/v1")
@Tag(name = "telemetry")
public class TelemetryController {

    private final TelemetryRefresh telemetry;

    public TelemetryController(TelemetryRefresh telemetry) {
        this.telemetry = telemetry;
    }

    @Operation(summary = "GPU telemetry: unhealthy GPUs, idle work per team, measured or declared figures per task")
    @ApiResponse(responseCode = "200", description = "the latest reading", content = @Content(mediaType = "application/json", schema = @Schema(implementation = TelemetryResponse.class)))
    @Secured({Roles.OPERATOR, Roles.REPORTER, Roles.ADMIN})
    @Get(uri = "/telemetry", produces = MediaType.APPLICATION_JSON)
    public TelemetryResponse telemetry() {
        return telemetry.response();
    }
}
