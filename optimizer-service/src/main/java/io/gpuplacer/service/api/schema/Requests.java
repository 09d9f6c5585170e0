package io.gpuplacer.service.api.schema;

import io.swagger.v3.oas.annotations.media.Schema;

import java.util.Map;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

/** The small request bodies of the API. */
public final class Requests {

    private Requests() {
    }

    @Schema(name = "RecommendationRequest")
    public record Recommendation(@Schema(requiredMode = REQUIRED) JobsDocument.Job job,
                                 @Schema(minimum = "1", maximum = "50", description = "default 3") Integer limit) {
    }

    @Schema(name = "OptimizationRequest")
    public record Optimization(@Schema(requiredMode = REQUIRED, description = "a jobs document (a bare array of "
            + "jobs also works: it starts at the current hour)") JobsDocument jobs,
                               @Schema(minimum = "1", maximum = "3600", description = "default 10") Integer seconds) {
    }

    @Schema(name = "WeightsRequest")
    public record Weights(@Schema(requiredMode = REQUIRED, description = "knob id to value; knobs left out take "
            + "their defaults") Map<String, Double> weights,
                          @Schema(maxLength = 2000) String reason) {
    }

    /** POST /v1/weights/preview. */
    public record WeightsPreview(@Schema(requiredMode = REQUIRED, description = "knob id to value, as a PUT would "
            + "set them") Map<String, Double> weights,
                                 @Schema(minimum = "1", maximum = "10", description = "seconds per solve, default 2")
                                 Integer seconds) {
    }

    @Schema(name = "TokenRequest")
    public record Token(@Schema(requiredMode = REQUIRED, maxLength = 100, pattern = "^[A-Za-z0-9][A-Za-z0-9._@-]*$")
                        String name,
                        @Schema(requiredMode = REQUIRED, allowableValues = {"scheduler", "operator", "reporter",
                                "admin"}) String role,
                        @Schema(minimum = "1", maximum = "3650", description = "left out: no expiry")
                        Integer expiresDays) {
    }
}
