package io.gpuplacer.service.cli;

import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.AtomicFiles;
import io.gpuplacer.service.simulate.Simulator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code simulate}: replay an Alibaba openb trace online under several policies (the FGD paper's protocol). */
final class SimulateCommand extends Command {

    static final Path DEFAULT_TRACES = Path.of("..", "shared", "data", "alibaba-gpu-v2023");
    static final Path DEFAULT_PUBLISHED = Path.of("..", "shared", "data", "fgd", "analysis_allo_discrete.csv");

    static final String HELP = """
            Usage: simulate [--node-list NODES.csv] [--pod-list PODS.csv] [--seed 42[,43,...]] [--tune 1.3]
                            [--policy oracle,fgd,bestfit,random,batch] [--out R.csv] [--published F.csv]
                            [--batch-seconds 3]

            Replays the pods one at a time (sorted, shuffled with the seed, inflated to tune x GPU capacity; pods
            never leave) and records the GPU allocation ratio at 0..130% arrived demand: one CSV row per policy
            and seed in the layout of the FGD paper's analysis_allo_discrete.csv. Policies: oracle (our placement
            oracle, no moves), batch (the oracle plus a pass over everything placed and everything failed each
            time another 10% of the capacity has arrived, and when the arrivals end: the solver with free moves
            for --batch-seconds, then failed pods placed where moving or exchanging one running share makes room),
            fgd, bestfit and random (re-implemented from the paper). Default: all but batch. Prints progress and
            a summary against the published means; with --out, writes the chart (R.svg) next to the CSV.
            The summary also gives packing bounds: for each policy, the allocation no repacking of the GPU-sharing
            pods it runs (with any it failed added) could exceed, at 100% and 130% arrived; and per seed, the same
            for any policy that runs every sharing pod arrived by k% (k = 50..100). They count only how shares
            fill GPUs of 1000 milli (a linear relaxation), so they hold whatever moves are made.
            The traces are research-only and not shipped: --node-list and --pod-list default to
            ../shared/data/alibaba-gpu-v2023/openb_node_list_gpu_node.csv and openb_pod_list_default.csv.
            """;

    SimulateCommand(PrintStream out, PrintStream err) {
        super(out, err, HELP);
    }

    @Override
    int execute(List<String> argList) throws UsageException, InputException, IOException {
        Args args = new Args("simulate", argList, Set.of("--node-list", "--pod-list", "--seed", "--tune", "--policy",
                "--out", "--published", "--batch-seconds"), Set.of());
        long batchSeconds = args.longValue("--batch-seconds", 3, 1, 600);
        Path nodes = args.optionalPath("--node-list") != null ? args.optionalPath("--node-list")
                : DEFAULT_TRACES.resolve("openb_node_list_gpu_node.csv");
        Path pods = args.optionalPath("--pod-list") != null ? args.optionalPath("--pod-list")
                : DEFAULT_TRACES.resolve("openb_pod_list_default.csv");
        List<Long> seeds = new ArrayList<>();
        for (String s : (args.value("--seed") == null ? "42" : args.value("--seed")).split(",")) {
            try {
                seeds.add(Long.parseLong(s.trim()));
            } catch (NumberFormatException e) {
                throw new UsageException("simulate: --seed \"" + s + "\" must be a whole number (or a comma list)");
            }
        }
        double tune;
        try {
            tune = args.value("--tune") == null ? 1.3 : Double.parseDouble(args.value("--tune"));
        } catch (NumberFormatException e) {
            throw new UsageException("simulate: --tune \"" + args.value("--tune") + "\" must be a number");
        }
        if (!(tune >= 0.1 && tune <= 3)) {
            throw new UsageException("simulate: --tune " + tune + " must be between 0.1 and 3");
        }
        List<Simulator.Policy> policies = new ArrayList<>();
        String list = args.value("--policy") == null ? "oracle,fgd,bestfit,random" : args.value("--policy");
        for (String name : list.split(",")) {
            Simulator.Policy p = Simulator.Policy.parse(name.trim());
            if (p == null) {
                throw new UsageException("simulate: --policy \"" + name + "\" is not one of oracle, batch, fgd, "
                        + "bestfit, random");
            }
            policies.add(p);
        }
        Path outFile = args.optionalPath("--out");
        if (outFile != null && outFile.toAbsolutePath().getParent() != null
                && !Files.isDirectory(outFile.toAbsolutePath().getParent())) {
            throw new UsageException("simulate: --out " + outFile + ": folder does not exist");
        }
        Path published = args.optionalPath("--published") != null ? args.optionalPath("--published")
                : DEFAULT_PUBLISHED;

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
