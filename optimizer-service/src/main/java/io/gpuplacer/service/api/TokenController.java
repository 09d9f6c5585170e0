package io.gpuplacer.service.api;

import io.gpuplacer.service.errors.ApiError;
import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.api.schema.Requests;
import io.gpuplacer.service.audit.AuditTrail;
import io.gpuplacer.service.security.ApiTokens;
import io.gpuplacer.service.security.Principals;
import io.gpuplacer.service.security.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

/** API tokens, for admins: the same as the {@code token} command, over HTTP. */
@AuthResponses
@Controller("/v1/tokens")
@Tag(name = "tokens")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
public class TokenController {

    private final ApiTokens tokens;

    public TokenController(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @Operation(summary = "Every token: name, role, who made it and when, expiry (never the token itself)")
    @Get(produces = MediaType.APPLICATION_JSON)
    public List<ApiTokens.TokenInfo> list() {
        return tokens.list();
    }

    @Operation(summary = "A new token: {\"name\", \"role\", \"expiresDays\"}; the answer is the only time the token "
            + "is shown")
    @RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Requests.Token.class)))
    @ApiResponse(responseCode = "201", description = "made; the token, shown once", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiTokens.Issued.class)))
    @ApiResponse(responseCode = "400", description = ErrorResponses.BAD_INPUT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Status(HttpStatus.CREATED)
    public ApiTokens.Issued create(@Nullable @Body byte[] bytes, @Nullable Authentication user)
            throws InputException {
        String body = RequestBodies.utf8(bytes, "request");
        JsonNode request = RequestBodies.object(body, "request");
        Integer days = null;
        JsonNode expires = request.get("expiresDays");
        if (expires != null && !expires.isNull()) {
            if (!expires.canConvertToInt() || !expires.isIntegralNumber()) {
                throw new InputException("expiresDays", expires.toString(), "expiresDays: " + expires
                        + " must be a whole number of days");
            }
            days = expires.intValue();
        }
        String name = text(request, "name");
        AuditTrail.target("token " + name);
        return tokens.create(name, text(request, "role"), days, Principals.author(user));
    }

    @Operation(summary = "Revoke a token: it stops working at once on this replica, within seconds on the others")
    @ApiResponse(responseCode = "200", description = "the token revoked", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiTokens.TokenInfo.class)))
    @ApiResponse(responseCode = "404", description = ErrorResponses.NOT_FOUND, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Delete(uri = "/{name}", produces = MediaType.APPLICATION_JSON)
    public ApiTokens.TokenInfo revoke(String name) {
        AuditTrail.target("token " + name);
        return tokens.revoke(name);
    }

    private static String text(JsonNode request, String field) throws InputException {
        JsonNode value = request.get(field);
        if (value != null && !value.isNull() && !value.isTextual()) {
            throw new InputException(field, value.toString(), field + ": must be a string");
        }
        return value == null || value.isNull() ? null : value.asText();
    }
}
