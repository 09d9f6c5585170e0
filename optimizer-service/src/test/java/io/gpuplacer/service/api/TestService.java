package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/**
 * The service on a random port against a given database, with a plain HTTP client: tests see status codes and
 * bodies exactly as a scheduler would.
 */
final class TestService implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private final EmbeddedServer server;
    private final HttpClient http = HttpClient.newHttpClient();

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
    }

    TestService(TestDatabase.Credentials db) {
        this(db, Map.of());
    }

    ApplicationContext context() {
        return server.getApplicationContext();
    }

    URI uri(String path) {
        return URI.create(server.getURL() + path);
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Reply delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    Reply put(String path, String body, String user) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            b.header("X-User", user);
        }
        return send(b);
    }

    Reply put(String path, String body) {
        return put(path, body, null);
    }

    Reply post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
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
        server.getApplicationContext().close();
    }
}
