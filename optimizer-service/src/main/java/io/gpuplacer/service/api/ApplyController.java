package io.gpuplacer.service.api;

import io.gpuplacer.service.errors.ApiError;
import io.gpuplacer.service.actions.ActionSchedule;
import io.gpuplacer.service.audit.AuditTrail;
import io.gpuplacer.service.optimize.OptimizationService;
import io.gpuplacer.service.optimize.OptimizationView;
import io.gpuplacer.service.security.Roles;
import io.micronaut.context.BeanProvider;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

/**
 * Applying a run's moves and preemptions to the cluster: each an eviction, planned and then carried out by the
 * leader.
 */
@AuthResponses
@Controller("/v1/optimizations")
@Tag(name = "kubernetes")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.OPERATOR, Roles.ADMIN})
public class ApplyController {

    private final OptimizationService runs;
    private final BeanProvider<ActionSchedule> actions;

    public ApplyController(OptimizationService runs, BeanProvider<ActionSchedule> actions) {
        this.runs = runs;
        this.actions = actions;
    }

    @Operation(summary = "Apply a finished run's moves and preemptions: one EVICT or PREEMPT action each (GET /v1/actions), carried out within the disruption budget, dry-run unless gpuplacer.kubernetes.apply")
    @ApiResponse(responseCode = "202", description = "the actions, PLANNED (or FAILED with the reason)", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ActionsController.Action.class)))
    @ApiResponse(responseCode = "404", description = ErrorResponses.NOT_FOUND, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "409", description = "the run has no plan yet, or this service has no cluster to apply to", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Post(uri = "/{id}/apply", produces = MediaType.APPLICATION_JSON)
    @Status(HttpStatus.ACCEPTED)
    public List<ActionsController.Action> apply(String id) {
        OptimizationView run = runs.get(id); // 404 when unknown
        AuditTrail.target("optimization " + id);
        if (!actions.isPresent()) {
            throw new ConflictException(new ApiError("no cluster to apply to: moves are carried out through "
                    + "Kubernetes (gpuplacer.kubernetes.enabled)", null, null));
        }
        if (run.plan() == null || !OptimizationService.DONE.equals(run.status())) {
            throw new ConflictException(new ApiError("optimization " + id + " is " + run.status() + "; apply a run "
                    + "that is DONE", "id", id));
        }
        return actions.get().applyPlan(run.plan(), id).stream().map(ActionsController.Action::of).toList();
    }
}
