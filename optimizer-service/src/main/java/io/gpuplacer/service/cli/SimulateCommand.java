package io.gpuplacer.service.cli;

import picocli.CommandLine;

import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.AtomicFiles;
import io.gpuplacer.service.simulate.Simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code simulate}: replay an Alibaba openb trace online under several policies (the FGD paper's protocol). */
@CommandLine.Command(name = "simulate", header = "Replay an Alibaba openb trace online (FGD's protocol) under our oracle and the baselines.",
        description = {
        "Replays the pods one at a time (sorted, shuffled with the seed, inflated to tune x GPU capacity; pods never "
                + "leave) and records the GPU allocation ratio at 0..130%% arrived demand: one CSV row per policy and "
                + "seed in the layout of the FGD paper's analysis_allo_discrete.csv. Policies: oracle (our placement "
                + "oracle, no moves), batch (the oracle plus a pass over everything placed and everything failed each "
                + "time another 10%% of the capacity has arrived, and when the arrivals end: the solver with free moves "
                + "for --batch-seconds, then failed pods placed where moving or exchanging one running share makes "
                + "room), fgd, bestfit and random (re-implemented from the paper). Prints progress and a summary "
                + "against the published means; with --out, writes the chart (R.svg) next to the CSV.",
        "The summary also gives packing bounds: for each policy, the allocation no repacking of the GPU-sharing pods "
                + "it runs (with any it failed added) could exceed, at 100%% and 130%% arrived; and per seed, the same "
                + "for any policy that runs every sharing pod arrived by k%% (k = 50..100). They count only how shares "
                + "fill GPUs of 1000 milli (a linear relaxation), so they hold whatever moves are made.",
        "The traces are research-only and not shipped: --node-list and --pod-list default to "
                + "../shared/data/alibaba-gpu-v2023/openb_node_list_gpu_node.csv and openb_pod_list_default.csv."})
final class SimulateCommand extends Command {

    static final Path DEFAULT_TRACES = Path.of("..", "shared", "data", "alibaba-gpu-v2023");
    static final Path DEFAULT_PUBLISHED = Path.of("..", "shared", "data", "fgd", "analysis_allo_discrete.csv");

    @CommandLine.Option(names = "--node-list", paramLabel = "NODES.csv", description = "openb node list.")
    Path nodes = DEFAULT_TRACES.resolve("openb_node_list_gpu_node.csv");

    @CommandLine.Option(names = "--pod-list", paramLabel = "PODS.csv", description = "openb pod list.")
    Path pods = DEFAULT_TRACES.resolve("openb_pod_list_default.csv");

    @CommandLine.Option(names = "--seed", paramLabel = "42[,43..]", split = ",", defaultValue = "42",
            description = "Seeds (default ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @CommandLine.Option(names = "--tune", defaultValue = "1.3", description = "Demand inflation, 0.1..3 (default "
            + "${DEFAULT-VALUE}).")
    double tune;

    @CommandLine.Option(names = "--policy", paramLabel = "P[,P..]", split = ",",
            defaultValue = "oracle,fgd,bestfit,random", description = "Of oracle, batch, fgd, bestfit, random "
            + "(default ${DEFAULT-VALUE}).")
    List<String> policyNames;

    @CommandLine.Option(names = "--out", paramLabel = "R.csv", description = "Write the rows here (and R.svg); "
            + "default: standard output.")
    Path outFile;

    @CommandLine.Option(names = "--published", paramLabel = "F.csv", description = "The paper's results (default "
            + "../shared/data/fgd/analysis_allo_discrete.csv).")
    Path published = DEFAULT_PUBLISHED;

    @CommandLine.Option(names = "--batch-seconds", defaultValue = "3", description = "Solver time per batch pass, "
            + "1..600 (default ${DEFAULT-VALUE}).")
    long batchSeconds;

    @Override
    int execute() throws UsageException, InputException, IOException {
        bounded("--batch-seconds", batchSeconds, 1, 600);
        if (!(tune >= 0.1 && tune <= 3)) {
            throw new UsageException("simulate: --tune " + tune + " must be between 0.1 and 3");
        }
        List<Simulator.Policy> policies = new ArrayList<>();
        for (String name : policyNames) {
            Simulator.Policy p = Simulator.Policy.parse(name.trim());
            if (p == null) {
                throw new UsageException("simulate: --policy \"" + name + "\" is not one of oracle, batch, fgd, "
                        + "bestfit, random");
            }
            policies.add(p);
        }
        if (outFile != null && outFile.toAbsolutePath().getParent() != null
                && !Files.isDirectory(outFile.toAbsolutePath().getParent())) {
            throw new UsageException("simulate: --out " + outFile + ": folder does not exist");
        }

        Simulator.Run run = new Simulator(err).run(nodes, pods, seeds, tune, policies,
                java.time.Duration.ofSeconds(batchSeconds));
        List<Simulator.Row> rows = run.rows();
        long totalGpus = run.totalGpus();
        String workload = pods.getFileName().toString().replaceFirst("\\.csv$", "");
        StringBuilder csv = new StringBuilder(Simulator.csvHeader()).append('\n');
        for (Simulator.Row row : rows) {
            csv.append(Simulator.csvRow(workload, tune, totalGpus, row)).append('\n');
        }
        if (outFile != null) {
            AtomicFiles.writeString(outFile, csv.toString());
            Path svg = outFile.resolveSibling(outFile.getFileName().toString().replaceFirst("\\.csv$", "") + ".svg");
            AtomicFiles.writeString(svg, Simulator.chart(workload, rows, published));
            err.println("simulate: wrote " + outFile + " and " + svg);
        } else {
            out.print(csv);
        }
        err.print(Simulator.summary(workload, run, published));
        return 0;
    }
}
