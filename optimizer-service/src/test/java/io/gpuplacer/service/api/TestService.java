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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.security.ApiTokens;
import io.gpuplacer.service.security.Roles;

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
        props.put("gpuplacer.data-dir", ChildService.dataDir(db).toString());
        props.putAll(extra);
        server = ApplicationContext.run(EmbeddedServer.class, props);
        http = server.getApplicationContext().createBean(HttpClient.class, server.getURL());
        blocking = http.toBlocking();
        defaultName = "test-admin-" + UUID.randomUUID().toString().substring(0, 8);
        defaultToken = tokenFor(defaultName, Roles.ADMIN);
    }

    private final Map<String, String> tokensByName = new ConcurrentHashMap<>();
    private final String defaultToken;
    private final String defaultName;

    /**
     * A token of the given name and role, made through the service's own token store (the first admin token is
     * tested on its own); a name asked for again gets the same token.
     */
    String tokenFor(String name, String role) {
        return tokensByName.computeIfAbsent(name, n -> {
            try {
                return context().getBean(ApiTokens.class).create(n, role, null, "test").token();
            } catch (InputException e) {
                throw new AssertionError(e);
            }
        });
    }

    /** The name of the default token: the author of the changes made with it. */
    String tokenOwner() {
        return defaultName;
    }

    /** The admin token every request without one of its own is sent with. */
    String token() {
        return defaultToken;
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

    /** A PUT by the named author: sent with an admin token of that name. */
    Reply put(String path, String body, String author) {
        return call("PUT", path, body, tokenFor(author, Roles.ADMIN));
    }

    /** Any call with the given bearer token (null: none). */
    Reply call(String method, String path, String body, String bearer) {
        MutableHttpRequest<String> request = HttpRequest.create(io.micronaut.http.HttpMethod.parse(method), path);
        if (body != null) {
            request.body(body).contentType(MediaType.APPLICATION_JSON_TYPE);
        }
        return sendAs(request, bearer);
    }

    Reply put(String path, String body) {
        return send(HttpRequest.PUT(path, body).contentType(MediaType.APPLICATION_JSON_TYPE));
    }

    Reply post(String path, String body) {
        return send(HttpRequest.POST(path, body).contentType(MediaType.APPLICATION_JSON_TYPE));
    }

    private Reply send(MutableHttpRequest<?> request) {
        return sendAs(request, defaultToken);
    }

    private Reply sendAs(MutableHttpRequest<?> request, String bearer) {
        if (bearer != null) {
            request.bearerAuth(bearer);
        }
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
        return Flux.from(sse.eventStream(HttpRequest.GET(path).bearerAuth(defaultToken), String.class)).collectList()
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
