package io.gpuplacer.service.cli;

import picocli.CommandLine;

import io.gpuplacer.model.accounting.Accounting;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.interchange.PlanIO;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.validation.PlanValidator;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code validate}: check a plan against the hard rules and recompute its totals. */
@CommandLine.Command(name = "validate", header = "Check a plan against the hard rules and recompute its totals.",
        description = {"Checks a plan against every hard rule of interchange v1.2: "
        + "section 5, and the queue rules Q1-Q3 and preemption rules P1-P4 of section 9 (each broken one named with "
        + "its queue, flavor and slot); recomputes the totals of section 6 and the preemption loss.", "Exit 1 when a rule is broken or a total is off by "
        + "more than 0.5%%; 2 when a document (the plan included) is malformed."})
final class ValidateCommand extends Command {

    @CommandLine.Option(names = "--cluster", paramLabel = "C", required = true, description = "Cluster snapshot.")
    Path cluster;

    @CommandLine.Option(names = "--jobs", paramLabel = "J", required = true, description = "Job queue.")
    Path jobs;

    @CommandLine.Option(names = "--plan", paramLabel = "P", required = true, description = "The plan to check.")
    Path planFile;

    @CommandLine.Option(names = "--signals", paramLabel = "S", description = "Carbon and price series.")
    Path signals;

    @Override
    int execute() throws InputException {
        Problem problem = new ProblemReader().read(cluster, jobs, signals);
        Plan plan = PlanIO.read(planFile);
        List<String> broken = PlanValidator.validate(problem, plan);
        broken.forEach(b -> out.println("broken: " + b));
        Plan.Totals expected = Accounting.totals(problem, plan);
        boolean totalsOk = plan.totals() == null || totalsMatch(expected, plan.totals());
        if (!totalsOk) {
            out.println("totals differ: plan says " + plan.totals() + ", recomputed " + expected);
        }
        out.printf(Locale.ROOT, "%s: %d broken rule(s); totals %s%n", broken.isEmpty() && totalsOk ? "valid" : "INVALID",
                broken.size(), totalsOk ? "match" : "differ");
        return broken.isEmpty() && totalsOk ? 0 : 1;
    }

    static boolean totalsMatch(Plan.Totals a, Plan.Totals b) {
        return close(a.energyKWh(), b.energyKWh()) && close(a.co2eKg(), b.co2eKg())
                && close(a.energyCostUsd(), b.energyCostUsd()) && close(a.nodeCostUsd(), b.nodeCostUsd())
                && close(a.expectedPreemptionLossGpuHours(), b.expectedPreemptionLossGpuHours())
                && close(a.placedGpuShare(), b.placedGpuShare())
                && close(a.preemptionLossGpuHours(), b.preemptionLossGpuHours());
    }

    private static boolean close(double x, double y) {
        return Math.abs(x - y) <= 0.005 * Math.max(Math.abs(x), Math.abs(y)) + 1e-9;
    }
}
