package io.gpuplacer.service.api;

import io.gpuplacer.service.kubernetes.KubernetesSnapshots;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.errors.ApiError;
import io.gpuplacer.service.errors.NotFoundException;
import io.gpuplacer.service.queues.QueueStatus;
import io.gpuplacer.service.queues.WaitingReasons;
import io.gpuplacer.service.recommend.RecommendationService;
import io.gpuplacer.service.text.Shortened;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.context.BeanProvider;
import io.gpuplacer.service.security.Roles;
import io.gpuplacer.service.state.ClusterState;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Clock;

/** The teams' queues now (contract section 9): quota, use, borrowing, lending and weighted share per flavor. */
@AuthResponses
@Controller("/v1/queues")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "state")
public class QueuesController {

    private final ClusterState state;
    private final BeanProvider<KubernetesSnapshots> kubernetes;
    private final Clock clock;
    private final RecommendationService oracle;

    public QueuesController(ClusterState state, BeanProvider<KubernetesSnapshots> kubernetes, Clock clock,
                            RecommendationService oracle) {
        this.state = state;
        this.kubernetes = kubernetes;
        this.clock = clock;
        this.oracle = oracle;
    }

    @Operation(summary = "Every queue now: nominal, used, borrowed and lent GPUs per flavor, its weighted share, and "
            + "(with a Kubernetes connection) its pending pods, their GPUs and the oldest wait")
    @ApiResponse(responseCode = "200", description = "the queues of the cluster state in force (none: an empty list)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = QueueStatus.Report.class)))
    @Secured({Roles.OPERATOR, Roles.REPORTER, Roles.ADMIN})
    @Get(produces = MediaType.APPLICATION_JSON)
    public QueueStatus.Report queues() {
        return QueueStatus.of(state.view().base(), kubernetes.isPresent() ? kubernetes.get().waiting() : null,
                clock.instant());
    }

    @Operation(summary = "The queue's pods waiting for a node, the oldest first (?limit=50, 1..200), each with why it "
            + "waits: the oracle's answer for its job now (no place: the queue and the limit or the rule; a place "
            + "later: when and where)")
    @ApiResponse(responseCode = "200", description = "the waiting pods", content = @Content(mediaType =
            "application/json", schema = @Schema(implementation = WaitingReasons.Report.class)))
    @ApiResponse(responseCode = "400", description = ErrorResponses.BAD_INPUT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = ErrorResponses.NOT_FOUND, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "409", description = "no Kubernetes connection: the service sees no pending pods", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Secured({Roles.OPERATOR, Roles.REPORTER, Roles.ADMIN})
    @Get(uri = "/{id}/waiting", produces = MediaType.APPLICATION_JSON)
    public WaitingReasons.Report waiting(String id, @Nullable @QueryValue String limit) throws InputException {
        int n = Paging.limit(limit, 50, 200);
        if (state.view().base().queues().stream().noneMatch(q -> q.id().equals(id))) {
            throw new NotFoundException(id, "no queue " + Shortened.to(id, 100) + " in the cluster state");
        }
        if (!kubernetes.isPresent()) {
            throw new ConflictException(new ApiError("pending pods are known with a Kubernetes connection only "
                    + "(gpuplacer.kubernetes.enabled)", null, null));
        }
        return WaitingReasons.of(id, kubernetes.get().waitingJobs(id, n), oracle, clock.instant());
    }
}
