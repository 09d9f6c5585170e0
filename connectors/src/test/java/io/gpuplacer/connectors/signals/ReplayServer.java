package io.gpuplacer.connectors.signals;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP server that plays a provider: per path, a queue of answers (status, body, delay, headers), the
 * last one repeated; every request is recorded with its headers.
 */
public final class ReplayServer implements AutoCloseable {

    public record Answer(int status, String body, long delayMillis, Map<String, String> headers) {
        public static Answer ok(String body) {
            return new Answer(200, body, 0, Map.of());
        }

        public static Answer status(int status) {
            return new Answer(status, "{\"error\": \"status " + status + "\"}", 0, Map.of());
        }
    }

    public record Seen(String pathAndQuery, Map<String, List<String>> headers) {
    }

    private final HttpServer server;
    private final Map<String, Queue<Answer>> answers = new ConcurrentHashMap<>();
    private final Map<String, Answer> lastAnswer = new ConcurrentHashMap<>();
    public final List<Seen> seen = new CopyOnWriteArrayList<>();

    public ReplayServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            seen.add(new Seen(path + (query == null ? "" : "?" + query), exchange.getRequestHeaders()));
            Queue<Answer> queue = answers.get(path);
            Answer answer = queue == null ? null : queue.size() > 1 ? queue.poll() : queue.peek();
            if (answer == null) {
                answer = new Answer(404, "{}", 0, Map.of());
            }
            try {
                Thread.sleep(answer.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            try {
                exchange.sendResponseHeaders(answer.status(), body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (IOException e) {
                // the client gave up (a timeout under test)
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    /** Answers for a path, in order; the last one repeats. */
    public void on(String path, Answer... sequence) {
        answers.put(path, new ConcurrentLinkedQueue<>(List.of(sequence)));
    }

    public long requestsTo(String path) {
        return seen.stream().filter(s -> s.pathAndQuery().startsWith(path)).count();
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** One hour of a real series. */
    public record Hour(Instant hour, double value, boolean estimated) {
    }

    /** An Electricity Maps hourly CSV of the test resources (direct intensity, the estimated flag). */
    public static List<Hour> series(String resource) throws IOException {
        List<Hour> out = new ArrayList<>();
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        try (InputStream in = ReplayServer.class.getResourceAsStream("/signals/" + resource)) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",", -1);
                out.add(new Hour(LocalDateTime.parse(f[0], format).toInstant(ZoneOffset.UTC),
                        Double.parseDouble(f[4]), Boolean.parseBoolean(f[f.length - 2])));
            }
        }
        return out;
    }
}
