package io.gpuplacer.service.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.connectors.signals.HttpJson;
import io.gpuplacer.constraints.WeightCatalogue;
import io.gpuplacer.model.interchange.AtomicFiles;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.interchange.PlanIO;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.validation.PlanValidator;
import io.gpuplacer.service.signals.SourceSpec;
import io.gpuplacer.service.signals.SourcesFile;
import io.gpuplacer.service.signals.SourcesOnce;
import io.gpuplacer.service.solve.PlacementSolver;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** {@code solve}: read the three documents, solve, check the plan, write it. */
@CommandLine.Command(name = "solve", header = "Place a job queue on a cluster and write the plan.",
        description = {
        "Solves a job queue on a cluster and writes the plan (interchange v1.1 section 4), checked against every "
                + "hard rule first. Progress goes to standard error.",
        "Usage also: solve --list-weights"})
final class SolveCommand extends Command {

    @CommandLine.Option(names = "--cluster", paramLabel = "C", description = "Cluster snapshot (section 1).")
    Path cluster;

    @CommandLine.Option(names = "--jobs", paramLabel = "J", description = "Job queue (section 2).")
    Path jobs;

    @CommandLine.Option(names = "--signals", paramLabel = "S",
            description = "Carbon and price series per zone (section 3); without it both are 0, with a warning.")
    Path signals;

    @CommandLine.Option(names = "--sources", paramLabel = "F", description = "Signal sources (YAML or JSON, the "
            + "service's gpuplacer.signals.sources list; ${NAME} reads the environment): each is asked once for the "
            + "day before the queue's now and its horizon, over --signals where given; see docs/signals.md.")
    Path sourcesFile;

    @CommandLine.Option(names = "--signals-out", paramLabel = "S.json", description = "With --sources: write the "
            + "signals document solved with here, so that the plan can be checked and solved again.")
    Path signalsOut;

    @CommandLine.Option(names = "--weights", paramLabel = "W", description = "JSON object of knob id to value, "
            + "e.g. {\"carbonPriceUsdPerTonne\": 500}; the other knobs keep their defaults (see --list-weights).")
    Path weightsFile;

    @CommandLine.Option(names = "--seconds", paramLabel = "N", defaultValue = "10", description = "Time limit "
            + "(default ${DEFAULT-VALUE}; 0 = greedy construction only); stops earlier when the best plan has not "
            + "improved for a quarter of it (2..30 s).")
    long seconds;

    @CommandLine.Option(names = "--out", paramLabel = "plan.json",
            description = "Write the plan here (atomically); default: standard output.")
    Path outFile;

    @CommandLine.Option(names = "--list-weights",
            description = "Print every knob with its unit, default, range and meaning, and exit.")
    boolean listWeights;

    /** The documents with the signals of the sources written over --signals (or over none). */
    private Problem readWithSources() throws InputException, IOException, UsageException {
        List<SourceSpec> specs;
        try {
            specs = SourcesFile.read(sourcesFile, System::getenv);
        } catch (IllegalArgumentException e) {
            throw new UsageException("solve: --sources " + e.getMessage());
        }
        JsonNode jobsDoc = ProblemReader.parse(jobs);
        JsonNode base = signals == null ? null : ProblemReader.parse(signals);
        Instant now;
        try {
            now = Instant.parse(jobsDoc.path("now").asText());
        } catch (java.time.format.DateTimeParseException e) {
            return new ProblemReader().read(ProblemReader.parse(cluster), jobsDoc, base, cluster.toString(),
                    jobs.toString(), "signals"); // names the bad "now" as reading does
        }
        int horizon = jobsDoc.path("horizonHours").asInt(ProblemReader.DEFAULT_HORIZON_HOURS);
        SourcesOnce.Result fetched = SourcesOnce.fetch(specs, HttpJson.defaults(), Clock.systemUTC(), now,
                Math.max(1, Math.min(horizon, ProblemReader.MAX_HORIZON_HOURS)), base);
        fetched.report().forEach(line -> err.println("sources: " + line));
        if (signalsOut != null) {
            AtomicFiles.writeString(signalsOut, fetched.signals().toPrettyString());
        }
        return new ProblemReader().read(ProblemReader.parse(cluster), jobsDoc, fetched.signals(), cluster.toString(),
                jobs.toString(), "signals of " + sourcesFile);
    }

    @Override
    int execute() throws UsageException, InputException, IOException {
        if (listWeights) {
            listWeights();
            return 0;
        }
        if (cluster == null || jobs == null) {
            throw new UsageException("solve: " + (cluster == null ? "--cluster" : "--jobs") + " is required; try "
                    + "'solve --help'");
        }
        bounded("--seconds", seconds, 0, 86_400);
        Path outDir = outFile == null ? null : outFile.toAbsolutePath().getParent();
        if (outDir != null && !Files.isDirectory(outDir)) {
            // Fail before solving, not after: the folder is the user's to create.
            throw new UsageException("solve: --out " + outFile + ": folder " + outDir + " does not exist");
        }

        WeightCatalogue.Weights weights;
        try {
            weights = weightsFile == null ? WeightCatalogue.defaults()
                    : WeightCatalogue.parse(ProblemReader.parse(weightsFile));
        } catch (InputException e) {
            throw weightsFile == null ? e : e.inDocument(weightsFile.toString());
        }
        Problem problem = sourcesFile == null ? new ProblemReader().read(cluster, jobs, signals) : readWithSources();
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
