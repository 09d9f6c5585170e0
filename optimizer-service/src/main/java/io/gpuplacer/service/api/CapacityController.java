package io.gpuplacer.service.api;

import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.capacity.CapacityChart;
import io.gpuplacer.service.capacity.CapacityPlan;
import io.gpuplacer.service.capacity.CapacityService;
import io.gpuplacer.service.errors.ApiError;
import io.gpuplacer.service.security.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/** Capacity planning on the service's own ledger (docs/capacity.md). */
@Controller("/v1/capacity")
@ExecuteOn(TaskExecutors.BLOCKING)
public class CapacityController {

    private final CapacityService capacity;

    public CapacityController(CapacityService capacity) {
        this.capacity = capacity;
    }

    @Operation(summary = "Capacity plan from the ledger's history: ?months=6 (1..36), ?pinZones=false")
    @ApiResponse(responseCode = "200", description = "the plan", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = CapacityPlan.class)))
    @ApiResponse(responseCode = "400", description = ErrorResponses.BAD_INPUT, content = @Content(mediaType =
            "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "no catalogue configured, or no history yet", content =
            @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Secured({Roles.REPORTER, Roles.OPERATOR, Roles.ADMIN})
    @Get(uri = "/plan", produces = MediaType.APPLICATION_JSON)
    public CapacityPlan plan(@Nullable @QueryValue String months, @Nullable @QueryValue String pinZones)
            throws InputException {
        return capacity.plan(months(months), flag(pinZones));
    }

    @Operation(summary = "The capacity plan as an SVG chart: ?months=6 (1..36), ?pinZones=false")
    @ApiResponse(responseCode = "200", description = "the chart", content = @Content(mediaType = "image/svg+xml",
            schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = ErrorResponses.BAD_INPUT, content = @Content(mediaType =
            "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "no catalogue configured, or no history yet", content =
            @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Secured({Roles.REPORTER, Roles.OPERATOR, Roles.ADMIN})
    @Get(uri = "/chart.svg", produces = "image/svg+xml")
    public HttpResponse<String> chart(@Nullable @QueryValue String months, @Nullable @QueryValue String pinZones)
            throws InputException {
        return HttpResponse.ok(CapacityChart.svg(capacity.plan(months(months), flag(pinZones))))
                .contentType("image/svg+xml");
    }

    private static int months(String text) throws InputException {
        if (text == null) {
            return 6;
        }
        try {
            int m = Integer.parseInt(text.strip());
            if (m >= 1 && m <= 36) {
                return m;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new InputException("months", text, "months: \"" + io.gpuplacer.service.text.Shortened.to(text, 40)
                + "\" must be a whole number 1..36");
    }

    private static Boolean flag(String text) throws InputException {
        if (text == null || text.equals("false")) {
            return false;
        }
        if (text.equals("true")) {
            return true;
        }
        throw new InputException("pinZones", text, "pinZones: \"" + io.gpuplacer.service.text.Shortened.to(text, 40)
                + "\" must be true or false");
    }
}
