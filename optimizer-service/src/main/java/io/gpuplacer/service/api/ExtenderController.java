package io.gpuplacer.service.api;

import io.gpuplacer.service.errors.ApiError;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.extender.ExtenderService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/**
 * kube-scheduler's extender ({@code k8s.io/kube-scheduler/extender/v1}): filter, prioritize, bind. Bodies in
 * kube-scheduler's shapes (docs/kubernetes.md); a body not in them is a 400 with the usual error body.
 */
@KubernetesCallback
@ApiResponse(responseCode = "413", description = ErrorResponses.TOO_LARGE, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@Controller("/v1/k8s/extender")
public class ExtenderController {

    private final ExtenderService extender;

    public ExtenderController(ExtenderService extender) {
        this.extender = extender;
    }

    @Operation(summary = "Filter: ExtenderArgs {Pod, Nodes | NodeNames} to ExtenderFilterResult {Nodes, NodeNames, FailedNodes, FailedAndUnresolvableNodes, Error}")
    @ApiResponse(responseCode = "200", description = "the nodes that passed, the others with their reasons", content = @Content(mediaType = "application/json", schema = @Schema(type = "object")))
    @Post(uri = "/filter", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public ObjectNode filter(@Nullable @Body byte[] bytes) throws InputException {
        String body = RequestBodies.utf8(bytes, "body");
        return extender.filter(body);
    }

    @Operation(summary = "Prioritize: ExtenderArgs to HostPriorityList [{Host, Score 0..10}]")
    @ApiResponse(responseCode = "200", description = "a score per candidate node", content = @Content(mediaType = "application/json", schema = @Schema(type = "array")))
    @Post(uri = "/prioritize", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public ArrayNode prioritize(@Nullable @Body byte[] bytes) throws InputException {
        String body = RequestBodies.utf8(bytes, "body");
        return extender.prioritize(body);
    }

    @Operation(summary = "Bind: ExtenderBindingArgs {PodName, PodNamespace, PodUID, Node} to ExtenderBindingResult {Error}")
    @ApiResponse(responseCode = "200", description = "Error empty when the pod is bound (also when it already was, to that node)", content = @Content(mediaType = "application/json", schema = @Schema(type = "object")))
    @Post(uri = "/bind", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public ObjectNode bind(@Nullable @Body byte[] bytes) throws InputException {
        String body = RequestBodies.utf8(bytes, "body");
        return extender.bind(body);
    }
}
