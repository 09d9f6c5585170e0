package io.gpuplacer.service.api;

import io.gpuplacer.service.kubernetes.KubernetesSnapshots;
import io.gpuplacer.service.queues.QueueStatus;
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

    public QueuesController(ClusterState state, BeanProvider<KubernetesSnapshots> kubernetes, Clock clock) {
        this.state = state;
        this.kubernetes = kubernetes;
        this.clock = clock;
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
}
