package io.gpuplacer.service.bench;

import ai.timefold.solver.core.config.solver.EnvironmentMode;
import io.gpuplacer.constraints.WeightCatalogue;
import io.gpuplacer.model.accounting.Occupancy;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.SolutionFactory;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.heuristic.GreedyPlacer;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.plan.PlanBuilder;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.RunningTask;
import io.gpuplacer.model.problem.SignalSeries;
import io.gpuplacer.model.validation.PlanValidator;
import io.gpuplacer.service.solve.PlacementSolver;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Emissions and cost of the solver's plans on real grid series against (a) a carbon-agnostic first fit that
 * starts everything now and (b) a perfect-foresight lower bound on emissions for the same placed work.
 */
public final class CarbonBenchmark {

    /** One scenario's outcome. */
    public record Result(String season, long seed, Plan.Totals firstFit, long firstFitUnplaced, Plan.Totals solver,
                         long solverUnplaced, double shiftBoundCo2eKg, double lowerBoundCo2eKg, int brokenRules) {

        public double co2eCutPercent() {
            return 100.0 * (1 - solver.co2eKg() / firstFit.co2eKg());
        }

        public double costCutPercent() {
            return 100.0 * (1 - cost(solver) / cost(firstFit));
        }

        /** The solver's emissions over the time-shifting bound, in percent above it. */
        public double overShiftBoundPercent() {
            return 100.0 * (solver.co2eKg() / shiftBoundCo2eKg - 1);
        }

        /** The solver's emissions over the any-zone, perfect-packing bound, in percent above it. */
        public double overLowerBoundPercent() {
            return 100.0 * (solver.co2eKg() / lowerBoundCo2eKg - 1);
        }

        public static double cost(Plan.Totals t) {
            return t.energyCostUsd() + t.nodeCostUsd();
        }
    }

    private final PrintStream log;

    public CarbonBenchmark(PrintStream log) {
        this.log = log;
    }

    public Result run(String season, ProblemGenerator.Grid grid, int nodes, int tasks, long seed, Duration limit,
                      WeightCatalogue.Weights weights) throws InputException {
        ProblemGenerator.Documents docs = ProblemGenerator.generate(nodes, tasks, seed, grid, 0.5);
        Problem problem = new ProblemReader().read(docs.cluster(), docs.jobs(), docs.signals());

        PlacementSolution baseline = SolutionFactory.build(problem);
        for (GreedyPlacer.Decision d : GreedyPlacer.place(baseline, GreedyPlacer.Strategy.FIRST_FIT)) {
            d.task().setNode(d.node());
            d.task().setStartSlot(d.start());
        }
        Plan firstFit = PlanBuilder.build(baseline, "", true, List.of(), List.of());
        long firstFitUnplaced = unplacedWeight(baseline);

        PlacementSolver.Options options = new PlacementSolver.Options(limit, limit, EnvironmentMode.NO_ASSERT, seed,
                weights);
        PlacementSolver.Result solved = new PlacementSolver().solve(problem, options, p -> { });
        Plan plan = solved.plan();
        int broken = PlanValidator.validate(problem, plan).size() + PlanValidator.validate(problem, firstFit).size();
        Result result = new Result(season, seed, firstFit.totals(), firstFitUnplaced, plan.totals(),
                -solved.solution().getScore().mediumScore(), timeShiftBound(problem, plan), lowerBound(problem, plan),
                broken);
        log.printf(Locale.ROOT, "  %s seed %d: first fit %.1f kg / %.0f USD, solver %.1f kg / %.0f USD "
                        + "(-%.1f%% CO2e, -%.1f%% cost); bounds: time shifting %.1f kg (+%.1f%%), any zone and "
                        + "perfect packing %.1f kg (+%.1f%%); unplaced work %d vs %d%n",
                season, seed, firstFit.totals().co2eKg(), Result.cost(firstFit.totals()), plan.totals().co2eKg(),
                Result.cost(plan.totals()), result.co2eCutPercent(), result.costCutPercent(),
                result.shiftBoundCo2eKg(), result.overShiftBoundPercent(), result.lowerBoundCo2eKg(),
                result.overLowerBoundPercent(), firstFitUnplaced, result.solverUnplaced());
        return result;
    }

    private static long unplacedWeight(PlacementSolution solution) {
        return solution.getTasks().stream().filter(t -> t.getNode() == null)
                .mapToLong(TaskAssignment::getUnplacedWeight).sum();
    }

    /**
     * Perfect foresight for time shifting, no capacity limits: the plan's placement and energy, but every job with
     * a deadline runs in the cleanest window of its zone. Each node-slot's energy (section 6) is split among the
     * tasks on the node then (busy power to its task, base power by GPU share, evenly when no task has one); a
     * job's energy per slot then meets the lowest carbon sum of any window it may start in. Energy no task draws
     * (alwaysOn nodes idle) counts as it is.
     */
    static double timeShiftBound(Problem problem, Plan plan) {
        int horizon = problem.horizonHours();
        List<Occupancy.Occupant> occupants = Occupancy.of(problem, plan);
        int last = occupants.stream().mapToInt(Occupancy.Occupant::end).max().orElse(0);
        int accounted = Math.max(horizon, last); // v1.1: every hour a task runs, past the horizon too
        Map<Occupancy.Occupant, double[]> energy = new IdentityHashMap<>();
        occupants.forEach(o -> energy.put(o, new double[accounted]));
        double grams = 0;
        for (Node node : problem.nodes()) {
            SignalSeries signals = node.zone().signals();
            double pue = node.zone().pue();
            List<Occupancy.Occupant> here = occupants.stream().filter(o -> o.node().equals(node)).toList();
            for (int t = 0; t < accounted; t++) {
                int slot = t;
                List<Occupancy.Occupant> now = here.stream().filter(o -> o.start() <= slot && slot < o.end()).toList();
                if (now.isEmpty()) {
                    if (node.alwaysOn() && t < horizon) {
                        grams += node.baseWatts() * pue / 1000.0 * signals.carbonAt(t);
                    }
                    continue;
                }
                double shares = now.stream().mapToDouble(o -> o.job().gpu().share()).sum();
                for (Occupancy.Occupant o : now) {
                    double part = shares > 0 ? o.job().gpu().share() / shares : 1.0 / now.size();
                    double watts = node.gpuBusyWatts() * o.job().utilization() * o.job().gpu().share()
                            + node.baseWatts() * part;
                    energy.get(o)[t] = watts * pue / 1000.0;
                }
            }
        }
        for (Occupancy.Occupant o : occupants) {
            double[] kWh = energy.get(o);
            SignalSeries signals = o.node().zone().signals();
            int length = o.end() - o.start();
            boolean deferrable = !o.running() && o.job().deadline() != null && length > 0;
            if (!deferrable) {
                for (int t = o.start(); t < o.end(); t++) {
                    grams += kWh[t] * signals.carbonAt(t);
                }
                continue;
            }
            double total = 0;
            for (int t = o.start(); t < o.end(); t++) {
                total += kWh[t];
            }
            double cleanest = Double.MAX_VALUE;
            for (int s = problem.earliestStartSlot(o.job()); s <= problem.latestStartSlot(o.job()); s++) {
                int e = s + Problem.occupiedSlots(o.job());
                cleanest = Math.min(cleanest, signals.carbonSum(s, e) / (e - s));
            }
            grams += total * cleanest;
        }
        return grams / 1000.0;
    }

    /**
     * Perfect foresight, no capacity limits: every task of every job the plan places runs in the cleanest zone
     * and window open to it (earliest start only for jobs without a deadline), drawing its busy power and its
     * share of a perfectly packed node's base power; running tasks where they run; alwaysOn nodes' base power
     * all the time.
     */
    static double lowerBound(Problem problem, Plan plan) {
        int horizon = problem.horizonHours();
        Set<String> placed = new HashSet<>();
        plan.placements().forEach(p -> placed.add(p.job()));
        PlacementSolution ranges = SolutionFactory.build(problem);
        double grams = 0;
        Set<Job> done = new HashSet<>();
        for (TaskAssignment task : ranges.getTasks()) {
            Job job = task.getJob();
            if (task.isRunning()) {
                RunningTask r = task.getRunning();
                if (r.node().healthy()) {
                    grams += taskGrams(job, r.node(), 0, r.occupiedSlots());
                }
                continue;
            }
            if (!placed.contains(job.id()) || !done.add(job)) {
                continue;
            }
            double best = Double.MAX_VALUE;
            for (Node node : task.getNodeRange()) {
                for (int s : task.getStartRange()) {
                    best = Math.min(best, taskGrams(job, node, s, task.accountedEndFor(s)));
                }
            }
            grams += best * job.tasks();
        }
        for (Node node : problem.nodes()) {
            if (node.alwaysOn()) {
                grams += node.baseWatts() * node.zone().pue() / 1000.0 * node.zone().signals().carbonSum(0, horizon);
            }
        }
        return grams / 1000.0;
    }

    private static double taskGrams(Job job, Node node, int s, int e) {
        double share = job.gpu().share();
        double baseShare = node.alwaysOn() ? 0.0 : job.gpu().usesGpu()
                ? share / Math.max(1, node.gpuCount()) : (double) job.cpuMillis() / node.cpuMillis();
        double kW = (node.gpuBusyWatts() * job.utilization() * share + node.baseWatts() * baseShare)
                * node.zone().pue() / 1000.0;
        SignalSeries signals = node.zone().signals();
        return kW * signals.carbonSum(s, e);
    }
}
