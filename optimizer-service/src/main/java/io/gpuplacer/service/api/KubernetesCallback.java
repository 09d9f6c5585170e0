package io.gpuplacer.service.api;

import io.gpuplacer.service.errors.ApiError;
import io.gpuplacer.service.security.Roles;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What the endpoints Kubernetes calls (kube-scheduler's extender, the admission webhook) have in common: the
 * scheduler role (or admin), their bodies in Kubernetes' own shapes (a body not in them is a 400), the
 * {@code kubernetes} tag, worker threads.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ApiResponse(responseCode = "400", description = ErrorResponses.BAD_INPUT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@AuthResponses
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.SCHEDULER, Roles.ADMIN})
@Tag(name = "kubernetes")
public @interface KubernetesCallback {
}
