package io.gpuplacer.service.api;

import io.gpuplacer.service.text.Shortened;
import io.gpuplacer.service.errors.ApiError;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.actions.ActionLog;
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
import java.util.Arrays;
import java.util.List;

/** What the service meant to do, or did, to the cluster: gating and releasing pods, with status and reason. */
@AuthResponses
@Controller("/v1/actions")
@Tag(name = "kubernetes")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.OPERATOR, Roles.REPORTER, Roles.ADMIN})
public class ActionsController {

    private final ActionLog log;

    public ActionsController(ActionLog log) {
        this.log = log;
    }

    /**
     * One action: GATE, RELEASE, EVICT (a move) or PREEMPT of a pod, or ADMIT of a Kueue Workload (the
     * carbon-window check), to which nodes, due when, in which status, why;
     * a preemption also the job it makes room for ({@code forJob}), Kueue's reason ({@code preemptionReason}) and
     * the victim's queue ({@code victimQueue}).
     */
    public record Action(long id, Instant createdAt, Instant updatedAt, String kind, String target, String job,
                         List<String> nodes, Instant dueAt, String status, String reason, int attempts,
                         @Nullable String forJob, @Nullable String preemptionReason,
                         @Nullable String victimQueue) {
        public static Action of(ActionLog.Entry e) {
            return new Action(e.id(), e.createdAt(), e.updatedAt(), e.kind(), e.target(), e.job(), e.nodes(),
                    e.dueAt(), e.status(), e.reason(), e.attempts(), e.forJob(), e.preemptionReason(),
                    e.victimQueue());
        }
    }

    @Operation(summary = "Actions (GATE, RELEASE, EVICT, PREEMPT, ADMIT), newest first: ?status=PLANNED|APPLIED|DRY_RUN|FAILED|SUPERSEDED, ?limit=100 (1..1000), ?before=<id>")
    @ApiResponse(responseCode = "200", description = "the actions", content = @Content(mediaType = "application/json", schema = @Schema(implementation = Action.class)))
    @ApiResponse(responseCode = "400", description = ErrorResponses.BAD_INPUT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Get(produces = MediaType.APPLICATION_JSON)
    public List<Action> actions(@Nullable @QueryValue String status, @Nullable @QueryValue String limit,
                                @Nullable @QueryValue String before) throws InputException {
        ActionLog.Status wanted = null;
        if (status != null) {
            try {
                wanted = ActionLog.Status.valueOf(status);
            } catch (IllegalArgumentException e) {
                throw new InputException("status", status, "status: \"" + Shortened.to(status, 43) + "\" is not one of " + Arrays.toString(ActionLog.Status.values()));
            }
        }
        return log.page(Paging.before(before), Paging.limit(limit, 100, 1000), wanted).stream().map(Action::of).toList();
    }
}
