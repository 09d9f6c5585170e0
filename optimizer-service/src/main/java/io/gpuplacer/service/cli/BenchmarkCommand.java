package io.gpuplacer.service.cli;

import picocli.CommandLine;

import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.bench.PlacementBenchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** {@code benchmark}: greedy vs. solver on generated problems, medians over seeded runs. */
@CommandLine.Command(name = "benchmark", header = "Greedy vs. solver on generated problems; medians over runs.",
        description = "For each NODESxTASKS size and each run (seeds S, S+1, ...): "
        + "times the greedy best-fit-decreasing placement alone, then solves for --seconds and reports when the "
        + "solver's plan first placed as much priority-weighted work as the greedy (ms, -1 = never), the share of "
        + "all priority-weighted work left unplaced by each, the final medium score, the move evaluation speed, "
        + "and the hard rules the final plan breaks (always 0). Each column is the median over the runs, taken "
        + "column by column. The greedy's time is the reference that moves with the machine.")
final class BenchmarkCommand extends Command {

    @CommandLine.Option(names = "--sizes", paramLabel = "NxT[,NxT]", defaultValue = "100x1000,1000x10000",
            description = "Default ${DEFAULT-VALUE}.")
    String sizes;

    @CommandLine.Option(names = "--seconds", paramLabel = "N", defaultValue = "30", description = "Per run, "
            + "1..3600 (default ${DEFAULT-VALUE}).")
    long seconds;

    @CommandLine.Option(names = "--runs", paramLabel = "R", defaultValue = "3", description = "1..100 (default "
            + "${DEFAULT-VALUE}).")
    int runs;

    @CommandLine.Option(names = "--greedy-only", description = "Time the greedy alone, no solver (its columns "
            + "are then -1 or 0): the construction's cost at sizes where a solver run takes long.")
    boolean greedyOnly;

    @CommandLine.Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Default "
            + "${DEFAULT-VALUE}.")
    long seed;

    @Override
    int execute() throws UsageException, InputException {
        bounded("--seconds", seconds, 1, 3600);
        bounded("--runs", runs, 1, 100);
        bounded("--seed", seed, 0, Long.MAX_VALUE / 2);
        PlacementBenchmark bench = new PlacementBenchmark(err);
        out.println("| nodes | tasks | runs | greedy ms | greedy unplaced % | solver ms to greedy level "
                + "| solver unplaced % after " + seconds + " s | improvement on greedy % | final hard | final medium "
                + "| moves/s | broken rules |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (String size : sizes.split(",")) {
            String[] parts = size.trim().split("x");
            if (parts.length != 2) {
                throw new UsageException("benchmark: --sizes entry \"" + size + "\" must look like 100x1000");
            }
            int nodes;
            int tasks;
            try {
                nodes = Integer.parseInt(parts[0]);
                tasks = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new UsageException("benchmark: --sizes entry \"" + size + "\" must look like 100x1000");
            }
            err.printf(Locale.ROOT, "benchmark %d nodes x %d tasks, %d run(s) of %d s%n", nodes, tasks, runs, seconds);
            List<PlacementBenchmark.Run> results = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                results.add(bench.run(nodes, tasks, seed + r, greedyOnly ? null : Duration.ofSeconds(seconds)));
            }
            out.printf(Locale.ROOT, "| %d | %d | %d | %.0f | %.2f | %.0f | %.2f | %.1f | %.0f | %.0f | %.0f | %.0f |%n",
                    nodes, tasks, runs, med(results, PlacementBenchmark.Run::greedyMillis),
                    med(results, PlacementBenchmark.Run::greedyUnplacedPercent),
                    med(results, PlacementBenchmark.Run::millisToGreedyLevel),
                    med(results, PlacementBenchmark.Run::finalUnplacedPercent),
                    med(results, PlacementBenchmark.Run::improvementPercent),
                    med(results, PlacementBenchmark.Run::finalHard), med(results, PlacementBenchmark.Run::finalMedium),
                    med(results, PlacementBenchmark.Run::moveEvaluationSpeed),
                    med(results, PlacementBenchmark.Run::brokenRules));
            out.flush();
        }
        return 0;
    }

    private static double med(List<PlacementBenchmark.Run> runs, ToDoubleFunction<PlacementBenchmark.Run> f) {
        return PlacementBenchmark.median(runs.stream().map(r -> f.applyAsDouble(r)).toList());
    }
}
