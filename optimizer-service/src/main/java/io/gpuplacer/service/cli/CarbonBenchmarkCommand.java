package io.gpuplacer.service.cli;

import picocli.CommandLine;

import io.gpuplacer.constraints.WeightCatalogue;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.bench.CarbonBenchmark;
import io.gpuplacer.service.bench.GridSeasons;
import io.gpuplacer.service.bench.PlacementBenchmark;
import io.gpuplacer.service.bench.ProblemGenerator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** {@code carbon-benchmark}: the solver against carbon-agnostic first fit and a lower bound, on real grid series. */
@CommandLine.Command(name = "carbon-benchmark", header = "CO2e and cost against carbon-agnostic first fit and lower bounds, on real grid series.",
        description = "On four seasonal 72-hour windows of 2024 (winter, "
        + "spring, summer, autumn) of real hourly carbon intensity and power prices for DE-LU, US-CAL-CISO and "
        + "US-TEX-ERCO, generates scenarios (half the jobs with a deadline) and compares the solver's plan "
        + "(--seconds each, default weights, or the given carbon price) with (a) first fit in cluster order that "
        + "starts everything now and (b) perfect-foresight lower bounds on emissions for the same placed work: (b) "
        + "the plan's placement with every job that has a deadline in the cleanest window of its zone, and (b') "
        + "stricter, every job in the cleanest zone and window open to it on a perfectly packed node. Prints one "
        + "row per scenario and the medians.")
final class CarbonBenchmarkCommand extends Command {

    @CommandLine.Option(names = "--nodes", defaultValue = "60", description = "1..100000 (default ${DEFAULT-VALUE}).")
    int nodes;

    @CommandLine.Option(names = "--tasks", defaultValue = "240", description = "1..1000000 (default "
            + "${DEFAULT-VALUE}).")
    int tasks;

    @CommandLine.Option(names = "--seconds", defaultValue = "20", description = "Per scenario, 1..3600 (default "
            + "${DEFAULT-VALUE}).")
    long seconds;

    @CommandLine.Option(names = "--seeds", defaultValue = "2", description = "Scenarios per season, 1..100 "
            + "(default ${DEFAULT-VALUE}).")
    int seeds;

    @CommandLine.Option(names = "--carbon-price", paramLabel = "P", description = "USD per tonne CO2e, 0..10000 "
            + "(default: the catalogue's).")
    Long carbonPrice;

    @Override
    int execute() throws UsageException, InputException {
        bounded("--nodes", nodes, 1, 100_000);
        bounded("--tasks", tasks, 1, 1_000_000);
        bounded("--seconds", seconds, 1, 3600);
        bounded("--seeds", seeds, 1, 100);
        WeightCatalogue.Weights weights = WeightCatalogue.defaults();
        if (carbonPrice != null) {
            weights = weights.with(Map.of(WeightCatalogue.CARBON_PRICE,
                    (double) bounded("--carbon-price", carbonPrice, 0, 10_000)));
        }
        CarbonBenchmark bench = new CarbonBenchmark(err);
        List<CarbonBenchmark.Result> results = new ArrayList<>();
        out.println("| season | seed | first fit kg CO2e | solver kg CO2e | CO2e cut % | time-shift bound kg "
                + "| over it % | any-zone bound kg | over it % | first fit USD | solver USD | cost cut % "
                + "| unplaced work first fit | unplaced work solver | broken rules |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Map.Entry<String, ProblemGenerator.Grid> season : GridSeasons.load().entrySet()) {
            for (int s = 1; s <= seeds; s++) {
                CarbonBenchmark.Result r = bench.run(season.getKey(), season.getValue(), nodes, tasks, s,
                        Duration.ofSeconds(seconds), weights);
                results.add(r);
                out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.0f | %.0f "
                                + "| %.1f | %d | %d | %d |%n", r.season(), r.seed(), r.firstFit().co2eKg(),
                        r.solver().co2eKg(), r.co2eCutPercent(), r.shiftBoundCo2eKg(), r.overShiftBoundPercent(),
                        r.lowerBoundCo2eKg(), r.overLowerBoundPercent(),
                        CarbonBenchmark.Result.cost(r.firstFit()), CarbonBenchmark.Result.cost(r.solver()),
                        r.costCutPercent(), r.firstFitUnplaced(), r.solverUnplaced(), r.brokenRules());
                out.flush();
            }
        }
        out.printf(Locale.ROOT, "| median | | | | %.1f | | %.1f | | %.1f | | | %.1f | | | |%n",
                med(results, CarbonBenchmark.Result::co2eCutPercent),
                med(results, CarbonBenchmark.Result::overShiftBoundPercent),
                med(results, CarbonBenchmark.Result::overLowerBoundPercent),
                med(results, CarbonBenchmark.Result::costCutPercent));
        return 0;
    }

    private static double med(List<CarbonBenchmark.Result> results, ToDoubleFunction<CarbonBenchmark.Result> f) {
        return PlacementBenchmark.median(results.stream().map(f::applyAsDouble).toList());
    }
}
