package io.gpuplacer.service.api;

import io.gpuplacer.service.errors.ApiError;
import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.audit.AuditTrail;
import io.gpuplacer.service.security.Principals;
import io.gpuplacer.service.security.Roles;
import io.gpuplacer.service.state.StateHistory;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;

/** Every cluster snapshot and signals document the service was given: listed, read back, restored. */
@AuthResponses
@Controller("/v1/state/versions")
@Tag(name = "state")
@ExecuteOn(TaskExecutors.BLOCKING)
public class StateVersionController {

    private final StateHistory history;

    public StateVersionController(StateHistory history) {
        this.history = history;
    }

    /** A version in a listing (without its document). */
    public record VersionSummary(long id, String kind, String createdBy, Instant createdAt, Long restoredFrom) {
        static VersionSummary of(StateHistory.Stored r) {
            return new VersionSummary(r.id(), r.kind(), r.createdBy(), r.createdAt(), r.restoredFrom());
        }
    }

    /** A version with its document. */
    public record Version(long id, String kind, String createdBy, Instant createdAt, Long restoredFrom,
                          JsonNode document) {
    }

    @Operation(summary = "Versions of one kind, newest first: ?kind=cluster|signals, ?limit=50 (1..500), ?before=<id>")
    @ApiResponse(responseCode = "200", description = "the versions", content = @Content(mediaType = "application/json", schema = @Schema(implementation = VersionSummary.class)))
    @ApiResponse(responseCode = "400", description = ErrorResponses.BAD_INPUT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Secured({Roles.OPERATOR, Roles.REPORTER, Roles.ADMIN})
    @Get(produces = MediaType.APPLICATION_JSON)
    public List<VersionSummary> list(@Nullable @QueryValue String kind, @Nullable @QueryValue String limit,
                                     @Nullable @QueryValue String before) throws InputException {
        return history.page(kind, Paging.before(before), Paging.limit(limit, 50, 500)).stream()
                .map(VersionSummary::of).toList();
    }

    @Operation(summary = "One version with its document, as it was given")
    @ApiResponse(responseCode = "200", description = "the version", content = @Content(mediaType = "application/json", schema = @Schema(implementation = Version.class)))
    @ApiResponse(responseCode = "404", description = ErrorResponses.NOT_FOUND, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Secured({Roles.OPERATOR, Roles.REPORTER, Roles.ADMIN})
    @Get(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
    public Version get(String id) throws InputException {
        StateHistory.Stored r = history.version(id);
        return new Version(r.id(), r.kind(), r.createdBy(), r.createdAt(), r.restoredFrom(), r.document());
    }

    @Operation(summary = "Make a version the one in force again (validated as a PUT would be; stored as a new "
            + "version that names the one restored)")
    @ApiResponse(responseCode = "200", description = "restored; the state in force", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ClusterController.StateResponse.class)))
    @ApiResponse(responseCode = "400", description = ErrorResponses.BAD_INPUT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = ErrorResponses.NOT_FOUND, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Secured({Roles.OPERATOR, Roles.ADMIN})
    @Post(uri = "/{id}/restore", produces = MediaType.APPLICATION_JSON)
    public ClusterController.StateResponse restore(String id, @Nullable Authentication user) throws InputException {
        StateHistory.Restored r = history.restore(id, Principals.author(user));
        AuditTrail.target(r.kind() + " version " + r.version() + " restored from " + r.from());
        return ClusterController.StateResponse.of(r.documents());
    }
}
