package io.gpuplacer.connectors.slurm;

import io.gpuplacer.connectors.slurm.v0038.ApiClient;
import io.gpuplacer.connectors.slurm.v0038.ApiException;
import io.gpuplacer.connectors.slurm.v0038.api.SlurmApi;
import io.gpuplacer.connectors.slurm.v0038.model.V0038Error;
import io.gpuplacer.connectors.slurm.v0038.model.V0038JobResponseProperties;
import io.gpuplacer.connectors.slurm.v0038.model.V0038JobsResponse;
import io.gpuplacer.connectors.slurm.v0038.model.V0038Node;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * slurmrestd through the client generated from Slurm's OpenAPI document (v0.0.38, Slurm 22.05), authenticated with
 * a JWT ({@code X-SLURM-USER-NAME}, {@code X-SLURM-USER-TOKEN}). The token is asked for on every call, so a
 * renewed token is used at once. Errors name the call and Slurm's own error, never the token.
 */
public final class SlurmRest {

    /** slurmrestd did not answer, refused, or answered with errors. */
    public static final class SlurmException extends Exception {
        public SlurmException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final ApiClient client;
    private final Duration timeout;
    private final SlurmApi api;
    private final String user;
    private final Supplier<String> token;

    public SlurmRest(URI url, String user, Supplier<String> token, Duration timeout) {
        ApiClient client = new ApiClient();
        // slurmrestd speaks HTTP/1.1 only and closes a connection that asks to upgrade to HTTP/2.
        client.setHttpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout));
        // Slurm's document offers JSON and YAML for every answer, and slurmrestd may pick YAML for the pair.
        client.setRequestInterceptor(request -> request.setHeader("Accept", "application/json"));
        client.updateBaseUri(url.toString().replaceAll("/+$", ""));
        client.setConnectTimeout(timeout);
        client.setReadTimeout(timeout);
        this.client = client;
        this.timeout = timeout;
        this.api = new SlurmApi(client);
        this.user = user;
        this.token = token;
    }

    /** Every node as slurmctld knows it. */
    public List<V0038Node> nodes() throws SlurmException {
        try {
            var response = api.slurmV0038GetNodes(null, headers());
            requireNoErrors("nodes", response.getErrors());
            return response.getNodes() == null ? List.of() : response.getNodes();
        } catch (ApiException e) {
            throw failure("nodes", e);
        }
    }

    /** Every job slurmctld still holds (pending, running, and recently ended ones). */
    public List<V0038JobResponseProperties> jobs() throws SlurmException {
        try {
            var response = api.slurmV0038GetJobs(null, headers());
            requireNoErrors("jobs", response.getErrors());
            return response.getJobs() == null ? List.of() : response.getJobs();
        } catch (ApiException e) {
            throw failure("jobs", e);
        }
    }

    /** What marks a held job as the service's to plan (set by examples/slurm/cli_filter.lua). */
    public static final String DEFERRABLE = "gpuplacer: deferrable";
    /** The "prefer" marker examples/slurm/job_submit.lua turns into the job's required nodes. */
    public static final String NODES_MARK = "gpuplacer-nodes=";

    /**
     * Hands a held job back to Slurm in one update: it begins at {@code begin} (now or later) on exactly these nodes
     * (none: on the nodes Slurm chooses then), and is released, so that Slurm starts it then whatever happens to this
     * service. The nodes reach Slurm through job_submit.lua's modify hook (slurmrestd 22.05 does not take required
     * nodes).
     */
    public void handBack(long jobId, Instant begin, List<String> nodes, Instant now) throws SlurmException {
        // Slurm's document types begin_time as a number, but slurmrestd parses it as a time string and refuses a
        // number: this one body is written here, as the generated model cannot carry it. "now+N" is taken by
        // slurmctld in its own time zone and clock, which an absolute local time would depend on.
        // Rounded up: a second early would begin in the hour before the chosen one.
        long seconds = Math.max(0, (Duration.between(now, begin).toMillis() + 999) / 1000);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("begin_time", "now+" + seconds);
        if (!nodes.isEmpty()) {
            body.put("prefer", NODES_MARK + String.join(",", nodes));
        }
        body.put("hold", false);
        String call = "update of job " + jobId;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(client.getBaseUri() + "/slurm/v0.0.38/job/"
                            + jobId))
                    .timeout(timeout)
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(client.getObjectMapper().writeValueAsString(body)));
            headers().forEach(request::header);
            HttpResponse<String> response = client.getHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            V0038JobsResponse answer = response.body().isBlank() ? null
                    : client.getObjectMapper().readValue(response.body(), V0038JobsResponse.class);
            if (answer != null) {
                requireNoErrors(call, answer.getErrors());
            }
            if (response.statusCode() != 200) {
                throw new SlurmException("slurmrestd " + call + ": HTTP " + response.statusCode(), null);
            }
        } catch (IOException e) {
            throw new SlurmException("slurmrestd " + call + ": no answer (" + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlurmException("slurmrestd " + call + ": interrupted", e);
        }
    }

    private Map<String, String> headers() {
        return Map.of("X-SLURM-USER-NAME", user, "X-SLURM-USER-TOKEN", token.get());
    }

    private static void requireNoErrors(String call, List<V0038Error> errors) throws SlurmException {
        if (errors != null && !errors.isEmpty()) {
            V0038Error first = errors.get(0);
            throw new SlurmException("slurmrestd " + call + ": " + first.getError() + " (" + first.getErrorNumber()
                    + ")", null);
        }
    }

    private static SlurmException failure(String call, ApiException e) {
        String why = e.getCode() == 0 ? "no answer (" + rootMessage(e) + ")" : "HTTP " + e.getCode()
                + (e.getCode() == 401 || e.getCode() == 403 ? " (the user or token was refused)" : "");
        return new SlurmException("slurmrestd " + call + ": " + why, e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
