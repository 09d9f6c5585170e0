package io.gpuplacer.service.api;

import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.recommend.RecommendationResponse;
import io.gpuplacer.service.recommend.RecommendationService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The placement oracle: the best places for one pending job on the current state, best first. */
@Controller("/v1/recommendations")
@Tag(name = "oracle")
public class RecommendationController {

    private final RecommendationService service;

    public RecommendationController(RecommendationService service) {
        this.service = service;
    }

    // Answered on the event loop: the oracle only reads memory (no database) and takes microseconds to a few
    // milliseconds, so a hop to a worker pool would cost more than it saves. The view it reads is rebuilt by the
    // requests that change the state, not here (but once an hour, when slot 0 moves on).
    @Operation(summary = "Where should this job go: {\"job\": <interchange-v1 job>, \"limit\": 3}")
    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public RecommendationResponse recommend(@Nullable @Body String body) throws InputException {
        return service.recommend(RequestBodies.object(body, "request"));
    }
}
