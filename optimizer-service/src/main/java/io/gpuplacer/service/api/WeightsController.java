package io.gpuplacer.service.api;

import io.gpuplacer.service.text.Shortened;
import io.gpuplacer.service.errors.ApiError;
import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.constraints.WeightCatalogue;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.audit.AuditTrail;
import io.gpuplacer.service.state.ClusterState;
import io.gpuplacer.service.weights.WeightsPreview;
import io.gpuplacer.service.weights.StaleVersionException;
import io.gpuplacer.service.weights.WeightsService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.gpuplacer.service.api.schema.Requests;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The operator's weights: the current version with the catalogue, a new version, and every version. */
@AuthResponses
@Controller("/v1/weights")
@Tag(name = "weights")
@ExecuteOn(TaskExecutors.BLOCKING)
public class WeightsController {

    private final WeightsService weights;
    private final ClusterState state;
    private final WeightsPreview preview;

    public WeightsController(WeightsService weights, ClusterState state, WeightsPreview preview) {
        this.weights = weights;
        this.state = state;
        this.preview = preview;
    }

    /** A version: every knob's value in force ({@code weights}) and the knobs the version sets itself. */
    public record WeightsResponse(long version, Map<String, Double> weights, Map<String, Double> set, String author,
                                  String reason, Instant createdAt, List<WeightCatalogue.Knob> catalogue) {
    }

    /** A version in the history. */
    public record VersionResponse(long version, Map<String, Double> set, String author, String reason,
                                  Instant createdAt) {
    }

    @Operation(summary = "The weights in force, with the catalogue of knobs (unit, default, range, meaning)")
    @Secured({Roles.OPERATOR, Roles.REPORTER, Roles.ADMIN})
    @Get(produces = MediaType.APPLICATION_JSON)
    public HttpResponse<WeightsResponse> current() {
        WeightsService.Version v = weights.current();
        return HttpResponse.ok(response(v)).header(HttpHeaders.ETAG, etag(v.version()));
    }

    private static String etag(long version) {
        return "\"" + version + "\"";
    }

    /**
     * The version an {@code If-Match} names ({@code "7"}, or weak {@code W/"7"}); null for none or {@code *};
     * anything else is a 400 naming the header.
     */
    static Long expected(String ifMatch) throws InputException {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(?:W/)?\"([0-9]{1,18})\"$").matcher(
                ifMatch.strip());
        if (!m.matches()) {
            String shown = Shortened.to(ifMatch, 43);
            throw new InputException("If-Match", shown, "If-Match: " + shown + " is not a version's ETag such as "
                    + "\"7\" (GET /v1/weights gives it)");
        }
        return Long.parseLong(m.group(1));
    }

    @Operation(summary = "A new version: {\"weights\": {knob: value}, \"reason\": \"...\"}; knobs not named take "
            + "their defaults")
    @RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Requests.Weights.class)))
    @ApiResponse(responseCode = "200", description = "the new version", content = @Content(mediaType = "application/json", schema = @Schema(implementation = WeightsResponse.class)))
    @ApiResponse(responseCode = "400", description = ErrorResponses.BAD_INPUT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Secured({Roles.OPERATOR, Roles.ADMIN})
    @Put(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @ApiResponse(responseCode = "412", description = "If-Match names a version that is no longer the newest", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    public HttpResponse<WeightsResponse> update(@Nullable @Body byte[] bytes,
                                                @Nullable @Header(HttpHeaders.IF_MATCH) String ifMatch,
                                                @Nullable Authentication user)
            throws InputException, StaleVersionException {
        String body = RequestBodies.utf8(bytes, "request");
        JsonNode request = RequestBodies.object(body, "request");
        JsonNode reason = request.get("reason");
        if (reason != null && !reason.isNull() && !reason.isTextual()) {
            throw new InputException("reason", reason.toString(), "reason: must be a string");
        }
        Long expected = expected(ifMatch);
        WeightsService.Version version = weights.update(request.get("weights"), reason == null ? null
                : reason.asText(), Principals.author(user), expected);
        AuditTrail.target("weights version " + version.version());
        state.view(); // later recommendations use it: build the oracle's view now, off the hot path
        return HttpResponse.ok(response(version)).header(HttpHeaders.ETAG, etag(version.version()));
    }

    @Operation(summary = "What proposed weights would change, before anything is applied: the current state (with "
            + "the latest run's queue) solved briefly with the weights in force and with these, compared")
    @RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Requests.WeightsPreview.class)))
    @ApiResponse(responseCode = "200", description = "both plans' figures and the tasks that would go elsewhere", content = @Content(mediaType = "application/json", schema = @Schema(implementation = WeightsPreview.Preview.class)))
    @ApiResponse(responseCode = "400", description = ErrorResponses.BAD_INPUT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Secured({Roles.OPERATOR, Roles.ADMIN})
    @Post(uri = "/preview", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public WeightsPreview.Preview preview(@Nullable @Body byte[] bytes) throws InputException {
        String body = RequestBodies.utf8(bytes, "request");
        return preview.preview(RequestBodies.object(body, "request"));
    }

    @Operation(summary = "Every version, oldest first: who set which knobs, when and why")
    @Secured({Roles.OPERATOR, Roles.REPORTER, Roles.ADMIN})
    @Get(uri = "/history", produces = MediaType.APPLICATION_JSON)
    public List<VersionResponse> history() {
        return weights.history().stream().map(v -> new VersionResponse(v.version(), new TreeMap<>(v.set()),
                v.author(), v.reason(), v.createdAt())).toList();
    }

    private static WeightsResponse response(WeightsService.Version v) {
        return new WeightsResponse(v.version(), new TreeMap<>(v.weights().values()), new TreeMap<>(v.set()),
                v.author(), v.reason(), v.createdAt(), WeightCatalogue.KNOBS);
    }
}
