package io.gpuplacer.service.cli;

import picocli.CommandLine;

import io.gpuplacer.service.bench.LoadBenchmark;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** {@code load-benchmark}: concurrent oracle requests against the service; latency and throughput. */
@CommandLine.Command(name = "load-benchmark", header = "Concurrent oracle requests (recommendations, extender filter and prioritize) against the service: p50/p99, throughput.",
        description = "PUTs a generated cluster of each size, then --callers "
        + "threads POST to each --endpoints back to back for --seconds after --warmup seconds: /v1/recommendations "
        + "with jobs of the generated queue (every GPU kind and gang topology); the extender's filter and "
        + "prioritize with its single-task jobs as pods and every node named (nodeCacheCapable: true), alone or as "
        + "one scheduling cycle (cycle). Latency is measured by the callers, HTTP included. "
        + "Without --url the service runs in this process on an in-memory database (nothing is written); with --url "
        + "it must be a running service whose cluster and signals the benchmark replaces. Prints a Markdown table, "
        + "with a reference from the same run: the same callers posting a body the endpoint turns down at once "
        + "(400), and the ratio to it; and GET /v1/me, the floor of an authenticated call, with the p50 and p99 "
        + "over its own.")
final class LoadBenchmarkCommand extends Command {

    /** The throughput lost to security, in percent of the throughput without it. */
    private static double cost(double on, double off) {
        return off == 0 ? 0 : 100.0 * (off - on) / off;
    }

    @CommandLine.Option(names = "--nodes", paramLabel = "N[,N..]", split = ",", defaultValue = "100,1000",
            description = "Cluster sizes, each 1..20000 (default ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @CommandLine.Option(names = "--endpoints", paramLabel = "E[,E..]", split = ",",
            defaultValue = "recommendations", description = "recommendations, filter, prioritize, cycle (filter then prioritize for the same pod, timed "
            + "together), filter-long-annotation (the filter for pods with a 256 KiB annotation), cluster-put (the generated cluster PUT again and again: validated, stored, in the ledger; "
            + "use --callers 1) (default "
            + "${DEFAULT-VALUE}).")
    List<String> endpointNames;

    @CommandLine.Option(names = "--callers", defaultValue = "4", description = "1..256 (default ${DEFAULT-VALUE}).")
    int callers;

    @CommandLine.Option(names = "--seconds", defaultValue = "20", description = "Measured, 1..3600 (default "
            + "${DEFAULT-VALUE}).")
    long seconds;

    @CommandLine.Option(names = "--warmup", defaultValue = "10", description = "Seconds before measuring, 0..3600 "
            + "(default ${DEFAULT-VALUE}).")
    long warmupSeconds;

    @CommandLine.Option(names = "--seed", defaultValue = "1", description = "Default ${DEFAULT-VALUE}.")
    long seed;

    @CommandLine.Option(names = "--security-cost", description = "In this process only: measure again with "
            + "Micronaut Security off (nothing authenticated or authorised) and print what the security filter chain "
            + "costs in throughput, per endpoint and for the 400 reference (four runs: a pair to warm the JIT, then "
            + "the pair reported).")
    boolean securityCost;

    @CommandLine.Option(names = "--url", paramLabel = "URL", description = "A running service, e.g. "
            + "http://host:8080 (default: one in this process).")
    String url;

    @CommandLine.Option(names = "--token", paramLabel = "TOKEN", description = "With --url: an admin's bearer token "
            + "(an operator's for recommendations, a scheduler's for the extender); default: the GPUPLACER_TOKEN environment variable.")
    String token;

    @Override
    int execute() throws UsageException, IOException {
        for (int n : sizes) {
            bounded("--nodes", n, 1, 20_000);
        }
        bounded("--callers", callers, 1, 256);
        Duration measure = Duration.ofSeconds(bounded("--seconds", seconds, 1, 3600));
        Duration warmup = Duration.ofSeconds(bounded("--warmup", warmupSeconds, 0, 3600));
        String bearer = token != null ? token : System.getenv("GPUPLACER_TOKEN");
        if (url != null && (bearer == null || bearer.isBlank())) {
            throw new UsageException("load-benchmark: --url needs --token (or GPUPLACER_TOKEN): an operator's token");
        }
        List<LoadBenchmark.Endpoint> endpoints = new java.util.ArrayList<>();
        for (String name : endpointNames) {
            try {
                endpoints.add(LoadBenchmark.Endpoint.parse(name.strip()));
            } catch (IllegalArgumentException e) {
                throw new UsageException("load-benchmark: --endpoints: " + e.getMessage());
            }
        }
        if (securityCost && url != null) {
            throw new UsageException("load-benchmark: --security-cost measures a service in this process; drop --url");
        }
        LoadBenchmark bench = new LoadBenchmark(err, bearer, endpoints);
        List<LoadBenchmark.Result> results;
        List<LoadBenchmark.Result> open = List.of();
        try {
            if (securityCost) {
                // In one JVM the later run has the warmer JIT (30% in either order at 1,000 nodes): a first pair of
                // runs warms it, and only the second pair is reported.
                err.println("load-benchmark: --security-cost: a first pair of runs to warm the JIT, not reported");
                bench.runInProcess(sizes, callers, warmup, measure, seed, false);
                bench.runInProcess(sizes, callers, warmup, measure, seed, true);
                open = bench.runInProcess(sizes, callers, warmup, measure, seed, false);
            }
            results = url == null ? bench.runInProcess(sizes, callers, warmup, measure, seed)
                    : bench.run(url.replaceAll("/+$", ""), sizes, callers, warmup, measure, seed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        out.println("| endpoint | nodes | running tasks | callers | requests | per second | p50 ms | p90 ms | p99 ms | max ms "
                + "| answered with a place | errors | reference per second | reference p99 ms | ratio to reference "
                + "| /v1/me p50 ms | /v1/me p99 ms | p50 / me | p99 / me |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (LoadBenchmark.Result r : results) {
            out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %.0f | %.2f | %.2f | %.2f | %.1f | %.0f%% | %d | %.0f "
                            + "| %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n", r.endpoint().label(), r.nodes(),
                    r.running(), r.callers(), r.requests(), r.throughput(), r.p50Millis(), r.p90Millis(),
                    r.p99Millis(), r.maxMillis(), 100 * r.placedShare(), r.errors(), r.referencePerSecond(),
                    r.referenceP99Millis(), r.ratioToReference(), r.meP50Millis(), r.meP99Millis(), r.p50OverMe(),
                    r.p99OverMe());
        }
        if (!open.isEmpty()) {
            out.println();
            out.println("| endpoint | nodes | per second, security on | per second, off | security cost % "
                    + "| reference per second, on | off | reference cost % |");
            out.println("|---|---|---|---|---|---|---|---|");
            for (int i = 0; i < results.size(); i++) {
                LoadBenchmark.Result on = results.get(i);
                LoadBenchmark.Result off = open.get(i);
                out.printf(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.1f | %.0f | %.0f | %.1f |%n",
                        on.endpoint().label(), on.nodes(), on.throughput(), off.throughput(), cost(on.throughput(), off.throughput()),
                        on.referencePerSecond(), off.referencePerSecond(),
                        cost(on.referencePerSecond(), off.referencePerSecond()));
            }
        }
        return 0;
    }
}
