package io.gpuplacer.service.cli;

import io.gpuplacer.constraints.WeightCatalogue;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.bench.CarbonBenchmark;
import io.gpuplacer.service.bench.GridSeasons;
import io.gpuplacer.service.bench.PlacementBenchmark;
import io.gpuplacer.service.bench.ProblemGenerator;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/** {@code carbon-benchmark}: the solver against carbon-agnostic first fit and a lower bound, on real grid series. */
final class CarbonBenchmarkCommand extends Command {

    static final String HELP = """
            Usage: carbon-benchmark [--nodes 60] [--tasks 240] [--seconds 20] [--seeds 2] [--carbon-price P]

            On four seasonal 72-hour windows of 2024 (winter, spring, summer, autumn) of real hourly carbon
            intensity and power prices for DE-LU, US-CAL-CISO and US-TEX-ERCO, generates scenarios (half the jobs
            with a deadline) and compares the solver's plan (--seconds each, default weights, or the given
            carbon price) with (a) first fit in cluster order that starts everything now and (b) a perfect-
            foresight lower bounds on emissions for the same placed work: (b) the plan's placement with every job
            that has a deadline in the cleanest window of its zone, and (b') stricter, every job in the cleanest
            zone and window open to it on a perfectly packed node. Prints one row per scenario and the medians.
            """;

    CarbonBenchmarkCommand(PrintStream out, PrintStream err) {
        super(out, err, HELP);
    }

    @Override
    int execute(List<String> argList) throws UsageException, InputException {
        Args args = new Args("carbon-benchmark", argList, Set.of("--nodes", "--tasks", "--seconds", "--seeds",
                "--carbon-price"), Set.of());
        int nodes = (int) args.longValue("--nodes", 60, 1, 100_000);
        int tasks = (int) args.longValue("--tasks", 240, 1, 1_000_000);
        long seconds = args.longValue("--seconds", 20, 1, 3600);
        int seeds = (int) args.longValue("--seeds", 2, 1, 100);
        WeightCatalogue.Weights weights = WeightCatalogue.defaults();
        if (args.value("--carbon-price") != null) {
            weights = weights.with(Map.of(WeightCatalogue.CARBON_PRICE,
                    (double) args.longValue("--carbon-price", 100, 0, 10_000)));
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
