package io.gpuplacer.service.cli;

import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.bench.GridSeasons;
import io.gpuplacer.service.bench.ProblemGenerator;
import io.gpuplacer.service.fairness.FairnessBenchmark;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code fairness-benchmark}: teams sharing a cluster, online over a week, against a Kueue-like baseline. */
@CommandLine.Command(name = "fairness-benchmark", header = "Teams sharing a cluster for a simulated week: this "
        + "service against a Kueue-like baseline.", description = "Generates a cluster of H100 nodes in two grid "
        + "zones (real hourly carbon and prices of a 2024 season, repeated over the run), four team queues in one "
        + "cohort whose quotas add up to the cluster, and bursty arrivals (busy and quiet days, priorities 10 and "
        + "100, half the jobs deferrable). Runs them online, hour by hour, under (a) a Kueue-like baseline "
        + "(admission within quotas, borrowing and reclaim by Kueue's policies and order, BestEffortFIFO, then "
        + "first fit at once) and (b) an optimization run of this service every hour. Every hour's decisions of "
        + "both are checked by the independent plan validator (section 5, Q1-Q3, P1-P4). Prints GPU utilisation, "
        + "Jain's index of Kueue's weighted shares among queues with waiting work, each queue's p95 wait, "
        + "preemptions and lost GPU-hours, CO2e per GPU-hour, deadlines missed, jobs never started and broken "
        + "rules, per seed and as medians.")
final class FairnessBenchmarkCommand extends Command {

    @CommandLine.Option(names = "--nodes", defaultValue = "16", description = "H100 nodes of 8 GPUs, 2..500 "
            + "(default ${DEFAULT-VALUE}).")
    int nodes;

    @CommandLine.Option(names = "--hours", defaultValue = "168", description = "Simulated hours, 1..2000 (default "
            + "${DEFAULT-VALUE}: a week).")
    int hours;

    @CommandLine.Option(names = "--load", defaultValue = "2", description = "Scales the arrival rates, 0.1..10 "
            + "(default ${DEFAULT-VALUE}: busy working hours ask about twice the GPU-hours the cluster has).")
    double load;

    @CommandLine.Option(names = "--seeds", defaultValue = "3", description = "Workloads, 1..50 (default "
            + "${DEFAULT-VALUE}).")
    int seeds;

    @CommandLine.Option(names = "--steps", defaultValue = "3000", description = "Local search steps of each hourly "
            + "optimization run, 0..1000000 (default ${DEFAULT-VALUE}; steps, not seconds, so that a run is the "
            + "same on any machine).")
    int steps;

    @CommandLine.Option(names = "--season", defaultValue = "spring", description = "The grid season: "
            + "winter, spring, summer or autumn of 2024 (72 hours from 2024-01-15, -04-15, -07-15, -10-14; default "
            + "${DEFAULT-VALUE}).")
    String season;

    @Override
    int execute() throws UsageException, InputException {
        bounded("--nodes", nodes, 2, 500);
        bounded("--hours", hours, 1, 2000);
        bounded("--seeds", seeds, 1, 50);
        bounded("--steps", steps, 0, 1_000_000);
        if (!(load >= 0.1 && load <= 10)) {
            throw new UsageException("fairness-benchmark: --load " + load + " must be between 0.1 and 10");
        }
        Map<String, ProblemGenerator.Grid> grids = GridSeasons.load();
        ProblemGenerator.Grid grid = grids.get(season);
        if (grid == null) {
            throw new UsageException("fairness-benchmark: --season " + season + " is not one of " + grids.keySet());
        }
        List<Long> list = new ArrayList<>();
        for (long s = 1; s <= seeds; s++) {
            list.add(s);
        }
        new FairnessBenchmark(out).run(nodes, hours, load, list, grid, steps);
        return 0;
    }
}
