package io.gpuplacer.service.cli;

import io.gpuplacer.model.accounting.Accounting;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.interchange.PlanIO;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.validation.PlanValidator;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code validate}: check a plan against the hard rules and recompute its totals. */
final class ValidateCommand extends Command {

    static final String HELP = """
            Usage: validate --cluster C --jobs J --plan P [--signals S]

            Checks every hard rule of interchange v1 section 5 and recomputes the totals of section 6.
            Exit codes: 0 valid, 1 rules broken or totals off by more than 0.5%, 2 bad input.
            """;

    ValidateCommand(PrintStream out, PrintStream err) {
        super(out, err, HELP);
    }

    @Override
    int execute(List<String> argList) throws UsageException, InputException {
        Args args = new Args("validate", argList, Set.of("--cluster", "--jobs", "--plan", "--signals"), Set.of());
        Problem problem = new ProblemReader().read(args.requiredPath("--cluster"), args.requiredPath("--jobs"),
                args.optionalPath("--signals"));
        Plan plan = PlanIO.read(args.requiredPath("--plan"));
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
                && close(a.placedGpuShare(), b.placedGpuShare());
    }

    private static boolean close(double x, double y) {
        return Math.abs(x - y) <= 0.005 * Math.max(Math.abs(x), Math.abs(y)) + 1e-9;
    }
}
