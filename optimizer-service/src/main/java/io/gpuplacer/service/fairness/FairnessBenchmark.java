package io.gpuplacer.service.fairness;

import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.bench.ProblemGenerator;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The fairness benchmark: the same generated week of multi-team demand, online, under the Kueue-like baseline and
 * under this service's optimization runs, with a row per policy and seed and the medians.
 */
public final class FairnessBenchmark {

    /** One seed's outcomes. */
    public record Result(long seed, FairnessSimulation.Outcome baseline, FairnessSimulation.Outcome optimizer) {
    }

    private final PrintStream out;

    public FairnessBenchmark(PrintStream out) {
        this.out = out;
    }

    public List<Result> run(int nodes, int hours, double load, List<Long> seeds, ProblemGenerator.Grid grid,
                            int steps) throws InputException {
        out.printf(Locale.ROOT, "fairness-benchmark: %d H100 nodes (%d GPUs, always on) in %s and %s, %d hours "
                        + "measured (arrivals from %d h before to %d h after), load %.2f, queues %s in one cohort, "
                        + "%d local search steps per hourly run%n", nodes,
                nodes * FairnessWorkload.GPUS_PER_NODE, grid.zones().get(0), grid.zones().get(1), hours,
                FairnessWorkload.WARM_UP, FairnessWorkload.COOL_DOWN, load,
                FairnessWorkload.TEAMS.stream().map(t -> t.id() + " (" + Math.round(t.share() * 100) + "%, weight "
                        + t.weight() + ")").toList(), steps);
        out.println("policy      seed  util%   Jain  p95 wait h, start-now work (per queue)  preempt  lost GPU-h  "
                + "gCO2e/GPU-h  missed  waiting  broken");
        List<Result> results = new ArrayList<>();
        for (long seed : seeds) {
            FairnessWorkload workload = FairnessWorkload.generate(nodes, hours, seed, grid, load);
            FairnessSimulation simulation = new FairnessSimulation(workload);
            FairnessSimulation.Outcome baseline = simulation.run(new KueueLikePolicy(workload));
            print(seed, baseline);
            FairnessSimulation.Outcome optimizer = simulation.run(new OptimizerPolicy(steps, seed, java.time.Duration.ofSeconds(2)));
            print(seed, optimizer);
            results.add(new Result(seed, baseline, optimizer));
        }
        out.printf(Locale.ROOT, "medians over %d seed(s): utilisation %.1f%% -> %.1f%%, Jain %.3f -> %.3f, CO2e "
                        + "%.0f -> %.0f g per GPU-hour (%.1f%% less), preemptions %.0f -> %.0f, lost GPU-hours %.0f "
                        + "-> %.0f, deadlines missed %.0f -> %.0f, broken rules %.0f -> %.0f%n", results.size(),
                100 * median(results, r -> r.baseline().utilization()),
                100 * median(results, r -> r.optimizer().utilization()),
                median(results, r -> r.baseline().jain()), median(results, r -> r.optimizer().jain()),
                median(results, r -> r.baseline().co2eGramsPerGpuHour()),
                median(results, r -> r.optimizer().co2eGramsPerGpuHour()),
                100 * median(results, r -> 1 - r.optimizer().co2eGramsPerGpuHour()
                        / r.baseline().co2eGramsPerGpuHour()),
                median(results, r -> r.baseline().preemptions()), median(results, r -> r.optimizer().preemptions()),
                median(results, r -> r.baseline().lostGpuHours()), median(results, r -> r.optimizer().lostGpuHours()),
                median(results, r -> r.baseline().deadlineMisses()),
                median(results, r -> r.optimizer().deadlineMisses()),
                median(results, r -> r.baseline().brokenRules()), median(results, r -> r.optimizer().brokenRules()));
        return results;
    }

    private void print(long seed, FairnessSimulation.Outcome o) {
        StringBuilder waits = new StringBuilder();
        o.p95WaitHours().forEach((q, w) -> waits.append(String.format(Locale.ROOT, "%s %.0f ", q, w)));
        out.printf(Locale.ROOT, "%-10s %5d %6.1f %6.3f  %-42s %7d %11.1f %12.0f %7d %8d %7d%n", o.policy(), seed,
                100 * o.utilization(), o.jain(), waits.toString().trim(), o.preemptions(), o.lostGpuHours(),
                o.co2eGramsPerGpuHour(), o.deadlineMisses(), o.neverStarted(), o.brokenRules());
        o.firstBreaks().forEach(b -> out.println("  broken: " + b));
    }

    static double median(List<Result> results, ToDoubleFunction<Result> value) {
        double[] v = results.stream().mapToDouble(value).sorted().toArray();
        return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1]
                + v[v.length / 2]) / 2;
    }
}
