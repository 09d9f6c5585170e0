package io.gpuplacer.service.api;

import io.gpuplacer.service.errors.ApiError;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.actions.GateWebhook;
import io.gpuplacer.service.security.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The mutating admission webhook that holds GPU pods at the gate gpuplacer.io/placement (docs/kubernetes.md). */
@ApiResponse(responseCode = "400", description = ErrorResponses.BAD_INPUT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "401", description = ErrorResponses.UNAUTHORIZED, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "403", description = ErrorResponses.FORBIDDEN, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@Controller("/v1/k8s/webhook")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.SCHEDULER, Roles.ADMIN})
@Tag(name = "kubernetes")
public class WebhookController {

    private final GateWebhook webhook;

    public WebhookController(GateWebhook webhook) {
        this.webhook = webhook;
    }

    @Operation(summary = "AdmissionReview (admission.k8s.io/v1) in, AdmissionReview out: allowed, with a JSON patch adding the scheduling gate to GPU pods")
    @ApiResponse(responseCode = "200", description = "the review's response", content = @Content(mediaType = "application/json", schema = @Schema(type = "object")))
    @Post(uri = "/gate", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public ObjectNode gate(@Nullable @Body byte[] bytes) throws InputException {
        String body = RequestBodies.utf8(bytes, "body");
        return webhook.review(body);
    }
}
