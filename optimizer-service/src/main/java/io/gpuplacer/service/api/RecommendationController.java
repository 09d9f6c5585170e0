package io.gpuplacer.service.api;

import io.gpuplacer.service.errors.ApiError;
import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.ledger.ArrivalRecorder;
import io.gpuplacer.service.recommend.RecommendationResponse;
import io.gpuplacer.service.recommend.RecommendationService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.gpuplacer.service.api.schema.Requests;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.gpuplacer.service.security.Roles;
import io.micronaut.security.annotation.Secured;

/** The placement oracle: the best places for one pending job on the current state, best first. */
@AuthResponses
@Controller("/v1/recommendations")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "oracle")
public class RecommendationController {

    private final RecommendationService service;
    private final ArrivalRecorder arrivals;

    public RecommendationController(RecommendationService service, ArrivalRecorder arrivals) {
        this.service = service;
        this.arrivals = arrivals;
    }

    // Answered on a worker thread, not the event loop: the answer takes up to milliseconds at 10,000 nodes, and
    // the first request after a change of hour or weights may wait for the view's rebuild (the scheduled refresh
    // usually has it ready); either would stall every connection the event loop serves.
    @Operation(summary = "Where should this job go: {\"job\": <interchange-v1 job>, \"limit\": 3}")
    @RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Requests.Recommendation.class)))
    @ApiResponse(responseCode = "200", description = "the best places, best first (none: reasons say why)", content = @Content(mediaType = "application/json", schema = @Schema(implementation = RecommendationResponse.class)))
    @ApiResponse(responseCode = "400", description = ErrorResponses.BAD_INPUT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = ErrorResponses.TOO_LARGE, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Secured({Roles.SCHEDULER, Roles.OPERATOR, Roles.ADMIN})
    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public RecommendationResponse recommend(@Nullable @Body byte[] bytes) throws InputException {
        String body = RequestBodies.utf8(bytes, "request");
        JsonNode request = RequestBodies.object(body, "request");
        RecommendationResponse answer = service.recommend(request);
        arrivals.arrived("recommendation", request.get("job"));
        return answer;
    }
}
