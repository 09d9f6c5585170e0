package io.gpuplacer.service.api;

import io.gpuplacer.service.errors.ApiError;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The 401 and 403 answers every secured controller gives, documented once (a meta-annotation for OpenAPI). */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ApiResponse(responseCode = "401", description = ErrorResponses.UNAUTHORIZED, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "403", description = ErrorResponses.FORBIDDEN, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
public @interface AuthResponses {
}
