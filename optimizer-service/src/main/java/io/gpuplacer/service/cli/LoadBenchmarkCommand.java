package io.gpuplacer.service.cli;

import io.gpuplacer.service.bench.LoadBenchmark;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code load-benchmark}: concurrent recommendation requests against the service; latency and throughput. */
final class LoadBenchmarkCommand extends Command {

    static final String HELP = """
            Usage: load-benchmark [--nodes 100,1000] [--callers 4] [--seconds 20] [--warmup 10] [--seed 1]
                                  [--url http://host:8080]

            PUTs a generated cluster of each size, then --callers threads POST /v1/recommendations back to back
            for --seconds after --warmup seconds, with jobs of the generated queue (every GPU kind and gang
            topology). Latency is measured by the callers, HTTP included. Without --url the service runs in this
            process on an in-memory database (nothing is written); with --url it must be a running service whose
            cluster and signals the benchmark replaces. Prints a Markdown table.
            """;

    LoadBenchmarkCommand(PrintStream out, PrintStream err) {
        super(out, err, HELP);
    }

    @Override
    int execute(List<String> argList) throws UsageException, IOException {
        Args args = new Args("load-benchmark", argList, Set.of("--nodes", "--callers", "--seconds", "--warmup",
                "--seed", "--url"), Set.of());
        List<Integer> sizes = new ArrayList<>();
        for (String s : (args.value("--nodes") == null ? "100,1000" : args.value("--nodes")).split(",")) {
            try {
                int n = Integer.parseInt(s.strip());
                if (n < 1 || n > 20_000) {
                    throw new NumberFormatException();
                }
                sizes.add(n);
            } catch (NumberFormatException e) {
                throw new UsageException("load-benchmark: --nodes entry \"" + s + "\" must be a whole number from 1 "
                        + "to 20000");
            }
        }
        int callers = (int) args.longValue("--callers", 4, 1, 256);
        Duration measure = Duration.ofSeconds(args.longValue("--seconds", 20, 1, 3600));
        Duration warmup = Duration.ofSeconds(args.longValue("--warmup", 10, 0, 3600));
        long seed = args.longValue("--seed", 1, Long.MIN_VALUE, Long.MAX_VALUE);
        LoadBenchmark bench = new LoadBenchmark(err);
        List<LoadBenchmark.Result> results;
        try {
            results = args.value("--url") == null ? bench.runInProcess(sizes, callers, warmup, measure, seed)
                    : bench.run(args.value("--url").replaceAll("/+$", ""), sizes, callers, warmup, measure, seed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        out.println("| nodes | running tasks | callers | requests | per second | p50 ms | p90 ms | p99 ms | max ms "
                + "| answered with a place | errors |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (LoadBenchmark.Result r : results) {
            out.printf(Locale.ROOT, "| %d | %d | %d | %d | %.0f | %.2f | %.2f | %.2f | %.1f | %.0f%% | %d |%n",
                    r.nodes(), r.running(), r.callers(), r.requests(), r.throughput(), r.p50Millis(), r.p90Millis(),
                    r.p99Millis(), r.maxMillis(), 100 * r.placedShare(), r.errors());
        }
        return 0;
    }
}
