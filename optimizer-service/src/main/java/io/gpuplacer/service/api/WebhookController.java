package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.actions.GateWebhook;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/** The mutating admission webhook that holds GPU pods at the gate gpuplacer.io/placement (docs/kubernetes.md). */
@KubernetesCallback
@Controller("/v1/k8s/webhook")
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
