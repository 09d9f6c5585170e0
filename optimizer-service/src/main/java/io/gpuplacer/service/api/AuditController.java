package io.gpuplacer.service.api;

import io.gpuplacer.service.errors.ApiError;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.audit.AuditTrail;
import io.gpuplacer.service.security.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;

/** The audit of every change, newest first. */
@AuthResponses
@Controller("/v1/audit")
@Tag(name = "audit")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.OPERATOR, Roles.REPORTER, Roles.ADMIN})
public class AuditController {

    private final AuditTrail trail;

    public AuditController(AuditTrail trail) {
        this.trail = trail;
    }

    /** One change: who, when, which request, what (method and route), on what, answered how. */
    public record AuditEvent(long id, Instant at, String principal, String requestId, String action, String target,
                             int outcome, String detail) {
        static AuditEvent of(AuditTrail.Entry r) {
            return new AuditEvent(r.id(), r.at(), r.principal(), r.requestId(), r.action(), r.target(), r.outcome(),
                    r.detail());
        }
    }

    @Operation(summary = "Changes, newest first: ?limit=100 (1..1000) and ?before=<id> for the page after")
    @ApiResponse(responseCode = "200", description = "the events", content = @Content(mediaType = "application/json", schema = @Schema(implementation = AuditEvent.class)))
    @ApiResponse(responseCode = "400", description = ErrorResponses.BAD_INPUT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Get(produces = MediaType.APPLICATION_JSON)
    public List<AuditEvent> events(@Nullable @QueryValue String limit, @Nullable @QueryValue String before)
            throws InputException {
        return trail.page(Paging.before(before), Paging.limit(limit, 100, 1000)).stream().map(AuditEvent::of)
                .toList();
    }
}
