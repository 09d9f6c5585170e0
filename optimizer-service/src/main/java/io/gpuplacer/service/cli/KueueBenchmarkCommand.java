package io.gpuplacer.service.cli;

import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.bench.KueueBenchmark;
import picocli.CommandLine;

import java.util.Locale;

/** {@code kueue-benchmark}: the carbon-window admission decision per Workload, timed. */
@CommandLine.Command(name = "kueue-benchmark", header = "Time the carbon-window admission decision per Kueue "
        + "Workload.", description = "Generates a cluster and --workloads pending jobs (30% with a deadline, so a "
        + "window to wait in), decides each as the admission check's pass does, and prints the per-Workload "
        + "decision time (median, p90, p99) and the whole pass, medians over --runs.")
final class KueueBenchmarkCommand extends Command {

    @CommandLine.Option(names = "--nodes", defaultValue = "125", description = "1..20000 (default ${DEFAULT-VALUE}).")
    int nodes;

    @CommandLine.Option(names = "--workloads", defaultValue = "1000", description = "1..100000 (default "
            + "${DEFAULT-VALUE}).")
    int workloads;

    @CommandLine.Option(names = "--runs", defaultValue = "3", description = "1..100 (default ${DEFAULT-VALUE}).")
    int runs;

    @CommandLine.Option(names = "--seed", defaultValue = "1", description = "the generator's seed (default "
            + "${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Option(names = "--budget-millis", defaultValue = "1000", description = "each decision's search "
            + "budget, as gpuplacer.recommendation-budget-millis (default ${DEFAULT-VALUE}).")
    int budgetMillis;

    @Override
    int execute() throws UsageException {
        bounded("--nodes", nodes, 1, 20_000);
        bounded("--workloads", workloads, 1, 100_000);
        bounded("--runs", runs, 1, 100);
        bounded("--budget-millis", budgetMillis, 1, 60_000);
        KueueBenchmark.Result r;
        try {
            r = KueueBenchmark.run(nodes, workloads, runs, seed, budgetMillis, err);
        } catch (InputException e) {
            throw new UsageException("the generated problem does not read: " + e.getMessage());
        }
        out.printf(Locale.ROOT, "kueue-benchmark: %d nodes (%d GPUs), %d pending Workloads, %d runs%n", r.nodes(),
                r.gpus(), r.workloads(), runs);
        out.println("| per Workload p50 | p90 | p99 | whole pass | Ready | held | Rejected |");
        out.println("|---|---|---|---|---|---|---|");
        out.printf(Locale.ROOT, "| %.2f ms | %.2f ms | %.2f ms | %.2f s | %d | %d | %d |%n", r.p50Ms(), r.p90Ms(),
                r.p99Ms(), r.passSeconds(), r.states().getOrDefault(io.gpuplacer.service.kueue.CarbonWindow.State.READY,
                        0), r.held(), r.states().getOrDefault(io.gpuplacer.service.kueue.CarbonWindow.State.REJECTED, 0));
        return 0;
    }
}
