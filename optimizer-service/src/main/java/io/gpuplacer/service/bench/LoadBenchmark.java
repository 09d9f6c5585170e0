package io.gpuplacer.service.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.model.interchange.DocumentTimes;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.security.ApiTokens;
import io.gpuplacer.service.security.Roles;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load on the placement oracle over HTTP, as schedulers call it: a generated cluster is PUT, then concurrent
 * callers POST recommendations for jobs of the generated queue (single tasks, gangs of every topology, MIG,
 * shared, CPU-only, some with deadlines) for a fixed time after a warm-up. Latency is measured by the callers,
 * end to end (HTTP included). Without a URL the service runs in this process on an in-memory database.
 */
public final class LoadBenchmark {

    /**
     * One measured size, and the reference from the same run: the same callers against the same endpoint with a
     * body it turns down at once ({@code {}}: 400, the job is missing), which costs the HTTP stack, the worker
     * hop and the error path but no oracle work, so the ratio to it moves less with the machine than the
     * absolute figures.
     */
    public record Result(Endpoint endpoint, int nodes, int running, int callers, long requests, double seconds, double p50Millis,
                         double p90Millis, double p99Millis, double maxMillis, double placedShare, long errors,
                         double referencePerSecond, double referenceP99Millis, double meP50Millis,
                         double meP99Millis) {

        public double throughput() {
            return requests / seconds;
        }

        /** p50 over that of {@code GET /v1/me} on the same connection: the floor of an authenticated call. */
        public double p50OverMe() {
            return meP50Millis == 0 ? 0 : p50Millis / meP50Millis;
        }

        /** p99 over that of {@code GET /v1/me}. */
        public double p99OverMe() {
            return meP99Millis == 0 ? 0 : p99Millis / meP99Millis;
        }

        /** Requests per second as a share of the trivial reference's. */
        public double ratioToReference() {
            return referencePerSecond == 0 ? 0 : throughput() / referencePerSecond;
        }
    }

    /**
     * What is measured: the recommendation call (every job of the queue), or kube-scheduler's extender calls for
     * the queue's single-task jobs as pods, with every node of the cluster named (nodeCacheCapable: true). Gang
     * members are left out of the extender's load: each would reserve places that the next ones then find claimed.
     */
    public enum Endpoint {
        RECOMMENDATIONS("/v1/recommendations"),
        EXTENDER_FILTER("/v1/k8s/extender/filter"),
        EXTENDER_PRIORITIZE("/v1/k8s/extender/prioritize"),
        /** One scheduling cycle's extender calls: filter, then prioritize for the same pod; timed together. */
        EXTENDER_CYCLE("/v1/k8s/extender/filter", "/v1/k8s/extender/prioritize"),
        /**
         * The filter for pods whose author gave them a 256 KiB {@code gpuplacer.io/gpu-models} annotation (what any
         * pod author can do): answered with one error, never the value repeated per node.
         */
        EXTENDER_FILTER_LONG_ANNOTATION("/v1/k8s/extender/filter"),
        /**
         * The generated cluster PUT again and again, as a connector sends its snapshots: validated, stored as a
         * version, and recorded in the emission ledger (each PUT is dated when received).
         */
        CLUSTER_PUT("/v1/cluster");

        final List<String> paths;

        Endpoint(String... paths) {
            this.paths = List.of(paths);
        }

        String method() {
            return this == CLUSTER_PUT ? "PUT" : "POST";
        }

        public static Endpoint parse(String name) {
            return switch (name) {
                case "recommendations" -> RECOMMENDATIONS;
                case "filter" -> EXTENDER_FILTER;
                case "prioritize" -> EXTENDER_PRIORITIZE;
                case "cycle" -> EXTENDER_CYCLE;
                case "cluster-put" -> CLUSTER_PUT;
                case "filter-long-annotation" -> EXTENDER_FILTER_LONG_ANNOTATION;
                default -> throw new IllegalArgumentException("\"" + name + "\" is not recommendations, filter, "
                        + "prioritize, cycle, filter-long-annotation or cluster-put");
            };
        }

        public String label() {
            return switch (this) {
                case RECOMMENDATIONS -> "recommendations";
                case EXTENDER_FILTER -> "filter";
                case EXTENDER_PRIORITIZE -> "prioritize";
                case EXTENDER_CYCLE -> "filter+prioritize";
                case CLUSTER_PUT -> "cluster-put";
                case EXTENDER_FILTER_LONG_ANNOTATION -> "filter-long-annotation";
            };
        }

        /** Whether an answer gave the job a place. */
        boolean placed(String body) {
            return switch (this) {
                case RECOMMENDATIONS -> !body.startsWith("{\"recommendations\":[]");
                case EXTENDER_FILTER -> !body.contains("\"NodeNames\":[]");
                case EXTENDER_PRIORITIZE, EXTENDER_CYCLE -> body.contains("\"Score\":10");
                case CLUSTER_PUT -> body.contains("\"nodes\"");
                case EXTENDER_FILTER_LONG_ANNOTATION -> body.contains("characters; at most");
            };
        }

        List<String> bodies(ProblemGenerator.Documents docs) {
            if (this == CLUSTER_PUT) {
                return List.of(docs.cluster().toString());
            }
            List<String> bodies = new ArrayList<>();
            List<String> names = new ArrayList<>();
            docs.cluster().get("nodes").forEach(n -> names.add(n.get("id").asText()));
            int i = 0;
            for (JsonNode job : docs.jobs().get("jobs")) {
                if (this == RECOMMENDATIONS) {
                    ObjectNode request = docs.jobs().objectNode();
                    request.set("job", job);
                    request.put("limit", 3);
                    bodies.add(request.toString());
                } else if (job.path("tasks").asInt(1) == 1) {
                    ObjectNode pod = JobPods.pod(job, "bench-" + i, "uid-bench-" + i);
                    if (this == EXTENDER_FILTER_LONG_ANNOTATION) {
                        ((ObjectNode) pod.get("metadata").get("annotations")).put("gpuplacer.io/gpu-models",
                                "H100-80GB," + "X".repeat(256 * 1024 - 10));
                    }
                    bodies.add(JobPods.args(pod, names));
                    if (this == EXTENDER_FILTER_LONG_ANNOTATION && bodies.size() == 50) {
                        break; // 50 pods of 256 KiB are enough to draw from, and hold 13 MB
                    }
                }
                i++;
            }
            return bodies;
        }
    }

    private static final AtomicInteger RUNS = new AtomicInteger(); // a database of its own per run in process
    private final PrintStream progress;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private String token;
    private final List<Endpoint> endpoints;
    private boolean security = true;
    private boolean inProcess;

    /** {@code token}: the bearer token sent to a running service (an operator's; null in process, made there). */
    public LoadBenchmark(PrintStream progress, String token, List<Endpoint> endpoints) {
        this.progress = progress;
        this.token = token;
        this.endpoints = List.copyOf(endpoints);
    }

    /** Starts the service in this process (in-memory database, no example), runs, stops it. */
    public List<Result> runInProcess(List<Integer> sizes, int callers, Duration warmup, Duration measure, long seed)
            throws IOException, InterruptedException {
        return runInProcess(sizes, callers, warmup, measure, seed, true);
    }

    /**
     * The same, with Micronaut Security on or off: off, no request is authenticated or authorised (and
     * {@code GET /v1/me} is not measured), which is what the security filter chain costs. Never a setting of
     * the service: only this benchmark starts it so.
     */
    public List<Result> runInProcess(List<Integer> sizes, int callers, Duration warmup, Duration measure, long seed,
                                     boolean security) throws IOException, InterruptedException {
        this.security = security;
        this.inProcess = true;
        Map<String, Object> props = Map.of("micronaut.security.enabled", security, "micronaut.server.port", -1,
                "datasources.default.url", "jdbc:h2:mem:load-benchmark-" + RUNS.incrementAndGet()
                        + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE;DB_CLOSE_DELAY=-1",
                "gpuplacer.load-example", false, "gpuplacer.data-dir", Files.createTempDirectory("load-benchmark")
                        .toString(), "gpuplacer.rate-limit-per-second", 0);
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props)) {
            try {
                // Admin: every endpoint measured admits it (recommendations operator, the extender scheduler).
                token = server.getApplicationContext().getBean(ApiTokens.class).create("load-benchmark",
                        Roles.ADMIN, 1, "load-benchmark").token();
            } catch (InputException e) {
                throw new IllegalStateException("the benchmark's token: " + e.getMessage(), e);
            }
            return run(server.getURL().toString(), sizes, callers, warmup, measure, seed);
        }
    }

    public List<Result> run(String url, List<Integer> sizes, int callers, Duration warmup, Duration measure,
                            long seed) throws IOException, InterruptedException {
        List<Result> results = new ArrayList<>();
        for (int nodes : sizes) {
            ProblemGenerator.Documents docs = ProblemGenerator.generate(nodes, nodes * 2, seed);
            // The generated documents start at a fixed instant; the service's slot 0 is the current hour.
            Duration shift = Duration.between(ProblemGenerator.NOW, Instant.now().truncatedTo(ChronoUnit.HOURS));
            DocumentTimes.shift(docs.signals(), shift);
            DocumentTimes.shift(docs.jobs(), shift);
            long putStarted = System.nanoTime();
            put(url + "/v1/cluster", docs.cluster().toString());
            double putMillis = (System.nanoTime() - putStarted) / 1e6;
            put(url + "/v1/signals", docs.signals().toString());
            long heap = inProcess ? heapAfterFullGc() : -1;
            progress.printf("load: %d nodes: the cluster PUT took %.0f ms%s%n", nodes, putMillis,
                    heap < 0 ? "" : String.format(java.util.Locale.ROOT, "; heap after a full GC %d MiB", heap >> 20));
            for (Endpoint endpoint : endpoints) {
                results.add(measure(url, endpoint, docs, nodes, callers, warmup, measure, seed));
            }
        }
        return results;
    }

    private Result measure(String url, Endpoint endpoint, ProblemGenerator.Documents docs, int nodes, int callers,
                           Duration warmup, Duration measure, long seed) throws InterruptedException {
        List<String> bodies = endpoint.bodies(docs);
        progress.printf("load: %s, %d nodes, %d running tasks, %d request bodies; %d callers, warm-up %d s, measure "
                        + "%d s%n", endpoint.label(), nodes, docs.cluster().get("running").size(), bodies.size(),
                callers, warmup.toSeconds(), measure.toSeconds());
        drive(url, endpoint.paths, endpoint.method(), endpoint, bodies, callers, warmup, seed, 200);
        Sample sample = drive(url, endpoint.paths, endpoint.method(), endpoint, bodies, callers, measure, seed + 1,
                200);
        long[] sorted = sample.nanos();
        Arrays.sort(sorted);
        Sample reference = drive(url, endpoint.paths, endpoint.method(), endpoint, List.of("{}"), callers, measure,
                seed + 2, 400);
        long[] ref = reference.nanos();
        Arrays.sort(ref);
        long[] meNanos = security
                ? drive(url, List.of("/v1/me"), "GET", null, List.of(""), callers, measure, seed + 3, 200).nanos()
                : new long[0]; // no caller to name without security
        Arrays.sort(meNanos);
        Result r = new Result(endpoint, nodes, docs.cluster().get("running").size(), callers, sorted.length,
                measure.toMillis() / 1000.0, pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6,
                sorted.length == 0 ? 0 : sample.placed() / (double) sorted.length, sample.errors(),
                ref.length / (measure.toMillis() / 1000.0), pct(ref, 0.99), pct(meNanos, 0.50), pct(meNanos, 0.99));
        progress.printf("load: %s, %d nodes: %d requests, %.0f/s, p50 %.2f ms, p99 %.2f ms; reference %.0f/s, "
                        + "p99 %.2f ms; GET /v1/me p50 %.2f ms, p99 %.2f ms (ratios %.2f, %.2f)%n", endpoint.label(),
                nodes, r.requests(), r.throughput(), r.p50Millis(), r.p99Millis(), r.referencePerSecond(),
                r.referenceP99Millis(), r.meP50Millis(), r.meP99Millis(), r.p50OverMe(), r.p99OverMe());
        return r;
    }

    private record Sample(long[] nanos, long placed, long errors) {
    }

    /**
     * Callers send the bodies back to back for the length of time to each path in turn; answers with another
     * status are errors. {@code endpoint} judges whether an answer placed the job (null: not counted).
     */
    private Sample drive(String url, List<String> paths, String method, Endpoint endpoint, List<String> bodies,
                         int callers, Duration length, long seed, int expected) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        long end = System.nanoTime() + length.toNanos();
        List<Future<Sample>> futures = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            Random random = new Random(seed * 31 + c);
            futures.add(pool.submit(() -> {
                long[] nanos = new long[1024];
                int n = 0;
                long placed = 0;
                long errors = 0;
                List<URI> uris = paths.stream().map(p -> URI.create(url + p)).toList();
                while (System.nanoTime() < end) {
                    String body = bodies.get(random.nextInt(bodies.size()));
                    long t0 = System.nanoTime();
                    HttpResponse<String> response = null;
                    boolean failed = false;
                    for (URI uri : uris) { // a cycle's calls one after the other, as kube-scheduler sends them
                        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                                .header("Authorization", "Bearer " + token)
                                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body)).build();
                        response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        failed |= response.statusCode() != expected;
                    }
                    long took = System.nanoTime() - t0;
                    if (failed) {
                        errors++;
                        continue;
                    }
                    if (n == nanos.length) {
                        nanos = Arrays.copyOf(nanos, n * 2);
                    }
                    nanos[n++] = took;
                    placed += endpoint != null && endpoint.placed(response.body()) ? 1 : 0;
                }
                return new Sample(Arrays.copyOf(nanos, n), placed, errors);
            }));
        }
        List<long[]> all = new ArrayList<>();
        long placed = 0;
        long errors = 0;
        try {
            for (Future<Sample> f : futures) {
                Sample s = f.get();
                all.add(s.nanos());
                placed += s.placed();
                errors += s.errors();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a caller failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        long[] merged = all.stream().flatMapToLong(Arrays::stream).toArray();
        return new Sample(merged, placed, errors);
    }

    /** Heap in use after a full collection, the documents of this benchmark included (in this process only). */
    private static long heapAfterFullGc() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private void put(String url, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("PUT " + url + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }
}
