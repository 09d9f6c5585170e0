package io.gpuplacer.service.api;

import io.gpuplacer.service.errors.ApiError;
import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.ledger.ArrivalRecorder;
import io.gpuplacer.service.audit.AuditTrail;
import io.gpuplacer.service.optimize.OptimizationService;
import io.gpuplacer.service.optimize.OptimizationView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.gpuplacer.service.api.schema.Requests;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.reactivestreams.Publisher;

import io.gpuplacer.service.security.Roles;
import io.micronaut.security.annotation.Secured;

import java.util.List;

/** Optimization runs: a job queue solved in the background on the current state, weights and signals. */
@AuthResponses
@Controller("/v1/optimizations")
@Tag(name = "optimizations")
@ExecuteOn(TaskExecutors.BLOCKING)
public class OptimizationController {

    private final OptimizationService service;
    private final ArrivalRecorder arrivals;

    public OptimizationController(OptimizationService service, ArrivalRecorder arrivals) {
        this.service = service;
        this.arrivals = arrivals;
    }

    @Operation(summary = "Start a run: {\"jobs\": <jobs document or array of jobs>, \"seconds\": 10}; 202 with its id")
    @RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Requests.Optimization.class)))
    @ApiResponse(responseCode = "202", description = "accepted: the run, SOLVING", content = @Content(mediaType = "application/json", schema = @Schema(implementation = OptimizationView.class)))
    @ApiResponse(responseCode = "400", description = ErrorResponses.BAD_INPUT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = ErrorResponses.TOO_LARGE, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "429", description = ErrorResponses.BUSY, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Secured({Roles.OPERATOR, Roles.ADMIN})
    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Status(HttpStatus.ACCEPTED)
    public OptimizationView start(@Nullable @Body byte[] bytes) throws InputException {
        String body = RequestBodies.utf8(bytes, "request");
        JsonNode request = RequestBodies.object(body, "request");
        OptimizationView run = service.submit(request);
        JsonNode jobs = request.get("jobs");
        (jobs.isArray() ? jobs : jobs.path("jobs")).forEach(job -> arrivals.arrived("optimization", job));
        AuditTrail.target("optimization " + run.id());
        return run;
    }

    @Operation(summary = "A run: status (SOLVING, DONE, FAILED, CANCELLED), best score, plan once it has one")
    @ApiResponse(responseCode = "200", description = "the run", content = @Content(mediaType = "application/json", schema = @Schema(implementation = OptimizationView.class)))
    @ApiResponse(responseCode = "404", description = ErrorResponses.NOT_FOUND, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Secured({Roles.OPERATOR, Roles.REPORTER, Roles.ADMIN})
    @Get(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
    public OptimizationView get(String id) {
        return service.get(id);
    }

    @Operation(summary = "Stop a run early; it keeps the best plan found so far")
    @ApiResponse(responseCode = "200", description = "the run, stopping", content = @Content(mediaType = "application/json", schema = @Schema(implementation = OptimizationView.class)))
    @ApiResponse(responseCode = "404", description = ErrorResponses.NOT_FOUND, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Secured({Roles.OPERATOR, Roles.ADMIN})
    @Delete(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
    public OptimizationView stop(String id) {
        AuditTrail.target("optimization " + id);
        return service.cancel(id);
    }

    @Operation(summary = "Best-score progress as server-sent events (\"progress\", then the final status)")
    @ApiResponse(responseCode = "200", description = "progress events, then the final status")
    @ApiResponse(responseCode = "404", description = ErrorResponses.NOT_FOUND, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Secured({Roles.OPERATOR, Roles.REPORTER, Roles.ADMIN})
    @Get(uri = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM)
    public Publisher<Event<OptimizationView.Progress>> events(String id) {
        return service.events(id);
    }

    @Operation(summary = "Recent runs, newest first (without their plans)")
    @ApiResponse(responseCode = "400", description = ErrorResponses.BAD_INPUT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Secured({Roles.OPERATOR, Roles.REPORTER, Roles.ADMIN})
    @Get(produces = MediaType.APPLICATION_JSON)
    public List<OptimizationView> recent(@Nullable @QueryValue String limit) throws InputException {
        int n;
        try {
            n = limit == null ? 20 : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > 500) {
            throw new InputException("limit", limit, "limit: " + limit + " must be a whole number from 1 to 500");
        }
        return service.recent(n);
    }
}
