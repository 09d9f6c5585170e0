package io.gpuplacer.connectors.signals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * GETs a provider's JSON: a timeout per call, retries with exponential backoff for what may pass (connection
 * errors, timeouts, 5xx, 429, honouring its {@code Retry-After}), none for what cannot (401 and 403 are a
 * configuration error, other 4xx a request error), and JSON that does not parse rejected whole.
 */
public final class HttpJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Duration timeout;
    private final int attempts;
    private final Duration firstBackoff;

    public HttpJson(Duration timeout, int attempts, Duration firstBackoff) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timeout = timeout;
        this.attempts = attempts;
        this.firstBackoff = firstBackoff;
    }

    /** 10 s per call, 4 attempts, backoff from 1 s (1, 2, 4 s). */
    public static HttpJson defaults() {
        return new HttpJson(Duration.ofSeconds(10), 4, Duration.ofSeconds(1));
    }

    public JsonNode get(URI uri, Map<String, String> headers) throws SourceException {
        Duration backoff = firstBackoff;
        String last = "";
        for (int attempt = 1; attempt <= attempts; attempt++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
                    .header("Accept", "application/json");
            headers.forEach(request::header);
            Duration wait = backoff;
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 200) {
                    return parse(uri, response.body());
                }
                if (status == 401 || status == 403) {
                    throw new SourceException(SourceException.Kind.CONFIGURATION, describe(uri) + " answered "
                            + status + ": the credentials are missing or not accepted (check the source's token)");
                }
                if (status != 429 && status < 500) {
                    throw new SourceException(SourceException.Kind.CONFIGURATION, describe(uri) + " answered "
                            + status + ": the request is not one the provider takes (check the source's settings)");
                }
                last = "answered " + status;
                wait = retryAfter(response).orElse(backoff);
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SourceException(SourceException.Kind.UNAVAILABLE, describe(uri) + ": interrupted", e);
            }
            if (attempt < attempts) {
                sleep(wait);
                backoff = backoff.multipliedBy(2);
            }
        }
        throw new SourceException(SourceException.Kind.UNAVAILABLE, describe(uri) + " " + last + " after "
                + attempts + " attempts");
    }

    private static JsonNode parse(URI uri, String body) throws SourceException {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new SourceException(SourceException.Kind.MALFORMED, describe(uri) + ": the answer is not JSON", e);
        }
    }

    private static java.util.Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                return java.util.Optional.of(Duration.ofSeconds(Math.min(60, Long.parseLong(v.strip()))));
            } catch (NumberFormatException e) {
                return java.util.Optional.empty();
            }
        });
    }

    /** The address without its query, which may carry a key. */
    private static String describe(URI uri) {
        return "GET " + uri.getScheme() + "://" + uri.getAuthority() + uri.getPath();
    }

    private static void sleep(Duration d) throws SourceException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException(SourceException.Kind.UNAVAILABLE, "interrupted while waiting to retry", e);
        }
    }
}
