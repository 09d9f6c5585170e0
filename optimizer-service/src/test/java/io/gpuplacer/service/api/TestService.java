package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.client.sse.SseClient;
import io.micronaut.http.sse.Event;
import io.micronaut.runtime.server.EmbeddedServer;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The service on a random port against a given database, called through Micronaut's HTTP client with the body
 * taken as text: tests see status codes and bodies exactly as a scheduler would.
 */
final class TestService implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private final EmbeddedServer server;
    private final HttpClient http;
    private final BlockingHttpClient blocking;

    /** A reply: status and body (parsed when it is JSON). */
    record Reply(int status, String text) {
        JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text, e);
            }
        }
    }

    TestService(TestDatabase.Credentials db, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(db.properties());
        props.put("micronaut.server.port", -1);
        props.putAll(extra);
        server = ApplicationContext.run(EmbeddedServer.class, props);
        http = server.getApplicationContext().createBean(HttpClient.class, server.getURL());
        blocking = http.toBlocking();
    }

    TestService(TestDatabase.Credentials db) {
        this(db, Map.of());
    }

    /** The service's base address, e.g. http://localhost:41234. */
    String url() {
        return server.getURL().toString();
    }

    ApplicationContext context() {
        return server.getApplicationContext();
    }

    Reply get(String path) {
        return send(HttpRequest.GET(path));
    }

    Reply delete(String path) {
        return send(HttpRequest.DELETE(path));
    }

    Reply put(String path, String body, String user) {
        MutableHttpRequest<String> request = HttpRequest.PUT(path, body).contentType(MediaType.APPLICATION_JSON_TYPE);
        if (user != null) {
            request.header("X-User", user);
        }
        return send(request);
    }

    Reply put(String path, String body) {
        return put(path, body, null);
    }

    Reply post(String path, String body) {
        return send(HttpRequest.POST(path, body).contentType(MediaType.APPLICATION_JSON_TYPE));
    }

    private Reply send(HttpRequest<?> request) {
        try {
            HttpResponse<String> r = blocking.exchange(request, String.class);
            return new Reply(r.code(), r.getBody().orElse(""));
        } catch (HttpClientResponseException e) {
            return new Reply(e.code(), e.getResponse().getBody(String.class).orElse(""));
        }
    }

    /** The server-sent events of a path, read until the stream ends. */
    List<Event<String>> events(String path) {
        SseClient sse = server.getApplicationContext().createBean(SseClient.class, server.getURL());
        return Flux.from(sse.eventStream(HttpRequest.GET(path), String.class)).collectList()
                .block(java.time.Duration.ofSeconds(60));
    }

    /** Polls a run until it leaves SOLVING (or the time is up). */
    JsonNode awaitRun(String id, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        JsonNode run = get("/v1/optimizations/" + id).json();
        while (run.path("status").asText().equals("SOLVING") && System.currentTimeMillis() < end) {
            Thread.sleep(100);
            run = get("/v1/optimizations/" + id).json();
        }
        return run;
    }

    @Override
    public void close() {
        http.close();
        server.getApplicationContext().close();
    }
}
