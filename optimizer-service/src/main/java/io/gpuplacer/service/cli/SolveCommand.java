package io.gpuplacer.service.cli;

import io.gpuplacer.constraints.WeightCatalogue;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.interchange.PlanIO;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.validation.PlanValidator;
import io.gpuplacer.service.solve.PlacementSolver;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code solve}: read the three documents, solve, check the plan, write it. */
final class SolveCommand extends Command {

    static final String HELP = """
            Usage: solve --cluster C --jobs J [--signals S] [--weights W] [--seconds N] [--out plan.json]
                   solve --list-weights

              --cluster   cluster snapshot (interchange v1 section 1)
              --jobs      job queue (section 2)
              --signals   carbon and price series per zone (section 3); without it both are 0, with a warning
              --weights   JSON object of knob id to value, e.g. {"carbonPriceUsdPerTonne": 500}; the other
                          knobs keep their defaults (see --list-weights)
              --list-weights  print every knob with its unit, default, range and meaning
              --seconds   time limit, default 10 (0 = greedy construction only); stops earlier when the best
                          plan has not improved for a quarter of it (2..30 s)
              --out       write the plan here (atomically); default: standard output

            Progress goes to standard error. Exit codes: 0 plan written, 2 bad input (nothing written), 1 error.
            """;

    SolveCommand(PrintStream out, PrintStream err) {
        super(out, err, HELP);
    }

    @Override
    int execute(List<String> argList) throws UsageException, InputException, IOException {
        if (argList.contains("--list-weights")) {
            listWeights();
            return 0;
        }
        Args args = new Args("solve", argList, Set.of("--cluster", "--jobs", "--signals", "--weights", "--seconds",
                "--out"), Set.of());
        Path cluster = args.requiredPath("--cluster");
        Path jobs = args.requiredPath("--jobs");
        Path signals = args.optionalPath("--signals");
        long seconds = args.longValue("--seconds", 10, 0, 86_400);
        Path outFile = args.optionalPath("--out");
        Path outDir = outFile == null ? null : outFile.toAbsolutePath().getParent();
        if (outDir != null && !Files.isDirectory(outDir)) {
            // Fail before solving, not after: the folder is the user's to create.
            throw new UsageException("solve: --out " + outFile + ": folder " + outDir + " does not exist");
        }

        Path weightsFile = args.optionalPath("--weights");
        WeightCatalogue.Weights weights;
        try {
            weights = weightsFile == null ? WeightCatalogue.defaults()
                    : WeightCatalogue.parse(ProblemReader.parse(weightsFile));
        } catch (InputException e) {
            throw weightsFile == null ? e : e.inDocument(weightsFile.toString());
        }
        Problem problem = new ProblemReader().read(cluster, jobs, signals);
        int pendingTasks = problem.jobs().stream().mapToInt(j -> j.tasks()).sum();
        err.printf(Locale.ROOT, "solve: %d nodes, %d running tasks, %d jobs (%d tasks), horizon %d h, %d s%n",
                problem.nodes().size(), problem.running().size(), problem.jobs().size(), pendingTasks,
                problem.horizonHours(), seconds);
        problem.warnings().forEach(w -> err.println("warning: " + w));

        long[] lastPrint = {-1_000};
        PlacementSolver.Progress[] unprinted = {null};
        PlacementSolver.Options options = PlacementSolver.Options.forSeconds(seconds).withWeights(weights);
        PlacementSolver.Result result = new PlacementSolver().solve(problem, options, p -> {
            long now = p.elapsed().toMillis();
            if (now - lastPrint[0] >= 250) { // at most four lines a second
                lastPrint[0] = now;
                printProgress(p);
                unprinted[0] = null;
            } else {
                unprinted[0] = p;
            }
        });
        if (unprinted[0] != null) {
            printProgress(unprinted[0]);
        }
        Plan plan = result.plan();
        List<String> broken = PlanValidator.validate(problem, plan);
        if (!broken.isEmpty()) {
            // Never hand out a plan that breaks a hard rule; say what is wrong instead.
            broken.stream().limit(20).forEach(b -> err.println("invalid: " + b));
            err.println("error: the solver's plan breaks " + broken.size() + " hard rule(s); nothing written");
            return 1;
        }
        if (outFile != null) {
            PlanIO.write(plan, outFile);
        } else {
            out.print(PlanIO.toJson(plan));
            out.flush();
        }
        summarize(problem, plan, result);
        return 0;
    }

    private void listWeights() {
        out.println("| knob | unit | default | range | meaning |");
        out.println("|---|---|---|---|---|");
        for (WeightCatalogue.Knob k : WeightCatalogue.KNOBS) {
            out.printf(Locale.ROOT, "| %s | %s | %s | %s..%s | %s |%n", k.id(), k.unit(), plain(k.defaultValue()),
                    plain(k.min()), plain(k.max()), k.description());
        }
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private void printProgress(PlacementSolver.Progress p) {
        err.printf(Locale.ROOT, "  %6.1fs  best %s  placed %d/%d tasks%n", p.elapsed().toMillis() / 1000.0,
                p.score(), p.placedTasks(), p.totalTasks());
    }

    private void summarize(Problem problem, Plan plan, PlacementSolver.Result result) {
        long placedJobs = plan.placements().stream().map(Plan.Placement::job).distinct().count();
        long unplacedJobs = plan.unplaced().stream().filter(u -> u.task() == null).count();
        Plan.Totals t = plan.totals();
        err.printf(Locale.ROOT, "done in %s: score %s, %s%n", format(result.solvingTime()), plan.score(),
                plan.feasible() ? "feasible" : "INFEASIBLE");
        err.printf(Locale.ROOT, "  jobs: %d placed (%d tasks), %d unplaced; %d moves of running tasks%n",
                placedJobs, plan.placements().size(), unplacedJobs, plan.moves().size());
        err.printf(Locale.ROOT, "  totals: %.1f kWh, %.2f kg CO2e, %.2f USD energy, %.2f USD node time, "
                        + "%.3f GPU-h expected preemption loss, %.3f GPU share placed%n",
                t.energyKWh(), t.co2eKg(), t.energyCostUsd(), t.nodeCostUsd(), t.expectedPreemptionLossGpuHours(),
                t.placedGpuShare());
        err.printf(Locale.ROOT, "  search: %,d moves evaluated, %,d moves/s%n", result.moveEvaluationCount(),
                result.moveEvaluationSpeed());
        plan.unplaced().stream().limit(10).forEach(u -> err.println("  unplaced " + u.job()
                + (u.task() == null ? "" : "#" + u.task()) + ": " + u.reason()));
        if (plan.unplaced().size() > 10) {
            err.println("  ... and " + (plan.unplaced().size() - 10) + " more in the plan");
        }
    }

    private static String format(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
}
