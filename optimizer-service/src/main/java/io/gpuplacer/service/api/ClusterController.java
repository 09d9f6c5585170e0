package io.gpuplacer.service.api;

import io.gpuplacer.service.errors.ApiError;
import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.audit.AuditTrail;
import io.gpuplacer.service.state.ClusterState;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.gpuplacer.service.api.schema.ClusterDocument;
import io.gpuplacer.service.api.schema.SignalsDocument;
import io.gpuplacer.service.signals.SignalSources;
import io.gpuplacer.service.signals.SignalStatusResponse;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import io.gpuplacer.service.security.Principals;
import io.gpuplacer.service.security.Roles;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;

import java.time.Instant;

/** The state the service works on: the cluster snapshot and the signals (interchange-v1), each replaced whole. */
@AuthResponses
@Controller("/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "state")
public class ClusterController {

    private final ClusterState state;
    private final SignalSources sources;

    public ClusterController(ClusterState state, SignalSources sources) {
        this.sources = sources;
        this.state = state;
    }

    /** What a PUT answers: where the state now comes from and when it changed. */
    public record StateResponse(String cluster, String signals, Instant clusterUpdatedAt, Instant signalsUpdatedAt,
                                int nodes, int zones) {
        static StateResponse of(ClusterState.Documents d) {
            return new StateResponse(d.clusterSource(), d.signalsSource(), d.clusterUpdatedAt(),
                    d.signalsUpdatedAt(), d.cluster().path("nodes").size(), d.cluster().path("zones").size());
        }
    }

    @Operation(summary = "The current cluster snapshot (interchange-v1 cluster document)")
    @ApiResponse(responseCode = "200", description = "the cluster snapshot in force", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ClusterDocument.class)))
    @Secured({Roles.OPERATOR, Roles.REPORTER, Roles.ADMIN})
    @Get(uri = "/cluster", produces = MediaType.APPLICATION_JSON)
    public JsonNode cluster() {
        return state.documents().cluster();
    }

    @Operation(summary = "Replace the cluster snapshot; validated against the contract and the current signals")
    @RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ClusterDocument.class)))
    @ApiResponse(responseCode = "200", description = "stored; the state in force", content = @Content(mediaType = "application/json", schema = @Schema(implementation = StateResponse.class)))
    @ApiResponse(responseCode = "400", description = ErrorResponses.BAD_INPUT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "409", description = "observedAt lies before the newest snapshot the emission ledger has", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = ErrorResponses.TOO_LARGE, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Secured({Roles.OPERATOR, Roles.ADMIN})
    @Put(uri = "/cluster", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public StateResponse putCluster(@Nullable @Body byte[] bytes, @Nullable Authentication user) throws InputException {
        String body = RequestBodies.utf8(bytes, "cluster");
        ClusterState.Documents d = state.replaceCluster(RequestBodies.object(body, "cluster"), Principals.author(user));
        AuditTrail.target("cluster version " + d.clusterVersion());
        return StateResponse.of(d);
    }

    @Operation(summary = "The current signals (interchange-v1 signals document)")
    @ApiResponse(responseCode = "200", description = "the signals in force", content = @Content(mediaType = "application/json", schema = @Schema(implementation = SignalsDocument.class)))
    @Secured({Roles.OPERATOR, Roles.REPORTER, Roles.ADMIN})
    @Get(uri = "/signals", produces = MediaType.APPLICATION_JSON)
    public JsonNode signals() {
        return state.documents().signals();
    }

    @Operation(summary = "The freshness of every configured signal source (gpuplacer.signals.sources)")
    @ApiResponse(responseCode = "200", description = "one entry per configured source, in configuration order", content = @Content(mediaType = "application/json", schema = @Schema(implementation = SignalStatusResponse.class)))
    @Secured({Roles.OPERATOR, Roles.REPORTER, Roles.ADMIN})
    @Get(uri = "/signals/status", produces = MediaType.APPLICATION_JSON)
    public SignalStatusResponse signalStatus() {
        return sources.status();
    }

    @Operation(summary = "Replace the signals; every zone named must be a zone of the cluster")
    @RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = SignalsDocument.class)))
    @ApiResponse(responseCode = "200", description = "stored; the state in force", content = @Content(mediaType = "application/json", schema = @Schema(implementation = StateResponse.class)))
    @ApiResponse(responseCode = "400", description = ErrorResponses.BAD_INPUT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = ErrorResponses.TOO_LARGE, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Secured({Roles.OPERATOR, Roles.ADMIN})
    @Put(uri = "/signals", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public StateResponse putSignals(@Nullable @Body byte[] bytes, @Nullable Authentication user) throws InputException {
        String body = RequestBodies.utf8(bytes, "signals");
        ClusterState.Documents d = state.replaceSignals(RequestBodies.object(body, "signals"), Principals.author(user));
        AuditTrail.target("signals version " + d.signalsVersion());
        return StateResponse.of(d);
    }
}
