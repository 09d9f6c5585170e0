package io.gpuplacer.service.api;

import io.gpuplacer.service.errors.ApiError;
import io.gpuplacer.service.security.Principals;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

/** Who the caller is: the dashboard shows the pages the caller's roles may see, and says so of the others. */
@ApiResponse(responseCode = "401", description = ErrorResponses.UNAUTHORIZED, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@Controller("/v1/me")
@Tag(name = "tokens")
public class MeController {

    public record Me(String name, List<String> roles) {
    }

    @Operation(summary = "The caller's name and roles")
    @ApiResponse(responseCode = "200", description = "the caller", content = @Content(mediaType = "application/json", schema = @Schema(implementation = Me.class)))
    @Secured(SecurityRule.IS_AUTHENTICATED)
    @Get(produces = MediaType.APPLICATION_JSON)
    public Me me(Authentication user) {
        return new Me(Principals.author(user), List.copyOf(user.getRoles()));
    }
}
