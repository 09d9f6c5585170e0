package io.gpuplacer.service.bench;

import ai.timefold.solver.core.config.solver.EnvironmentMode;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.SolutionFactory;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.heuristic.GreedyPlacer;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.validation.PlanValidator;
import io.gpuplacer.service.solve.PlacementSolver;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Greedy best-fit-decreasing against the full solver on generated problems: how long the solver takes to place
 * as much priority-weighted work as the greedy does, where it ends after the time limit, and how fast it
 * evaluates moves.
 */
public final class PlacementBenchmark {

    /** One run's measurements. */
    public record Run(int nodes, int tasks, long seed, long totalWork, double greedyMillis, long greedyUnplaced,
                      double millisToGreedyLevel, long finalHard, long finalMedium, long finalSoft,
                      long moveEvaluationSpeed, int brokenRules) {

        /** Share of all priority-weighted work the greedy leaves unplaced, in percent. */
        public double greedyUnplacedPercent() {
            return totalWork == 0 ? 0.0 : 100.0 * greedyUnplaced / totalWork;
        }

        /** Share the solver leaves unplaced at the end, in percent. */
        public double finalUnplacedPercent() {
            return totalWork == 0 ? 0.0 : 100.0 * -finalMedium / totalWork;
        }

        /** How much less work the solver leaves unplaced than the greedy, in percent of the greedy's. */
        public double improvementPercent() {
            return greedyUnplaced == 0 ? 0.0 : 100.0 * (greedyUnplaced + finalMedium) / greedyUnplaced;
        }
    }

    private final PrintStream log;

    public PlacementBenchmark(PrintStream log) {
        this.log = log;
    }

    /** One run; a null limit times the greedy alone (the solver's columns are then 0 or -1). */
    public Run run(int nodes, int tasks, long seed, Duration limit) throws InputException {
        ProblemGenerator.Documents docs = ProblemGenerator.generate(nodes, tasks, seed);
        Problem problem = new ProblemReader().read(docs.cluster(), docs.jobs(), docs.signals());

        PlacementSolution fresh = SolutionFactory.build(problem);
        long t0 = System.nanoTime();
        List<GreedyPlacer.Decision> decisions = GreedyPlacer.place(fresh);
        double greedyMillis = (System.nanoTime() - t0) / 1e6;
        Map<TaskAssignment, GreedyPlacer.Decision> byTask = new IdentityHashMap<>();
        decisions.forEach(d -> byTask.put(d.task(), d));
        long greedyUnplaced = 0;
        long totalWork = 0;
        for (TaskAssignment task : fresh.getTasks()) {
            totalWork += task.getUnplacedWeight();
            GreedyPlacer.Decision d = byTask.get(task);
            if (d == null ? task.getNode() == null : d.node() == null) {
                greedyUnplaced += task.getUnplacedWeight();
            }
        }

        if (limit == null) {
            log.printf(Locale.ROOT, "  seed %d: greedy %.0f ms leaves %.2f%% of the work unplaced%n", seed, greedyMillis,
                    totalWork == 0 ? 0.0 : 100.0 * greedyUnplaced / totalWork);
            return new Run(nodes, tasks, seed, totalWork, greedyMillis, greedyUnplaced, -1, 0, 0, 0, 0, 0);
        }
        double[] reached = {-1};
        long target = -greedyUnplaced;
        PlacementSolver.Options options = new PlacementSolver.Options(limit, limit, EnvironmentMode.NO_ASSERT, seed);
        PlacementSolver.Result result = new PlacementSolver().solve(problem, options, p -> {
            if (reached[0] < 0 && p.score().hardScore() == 0 && p.score().mediumScore() >= target) {
                reached[0] = p.elapsed().toNanos() / 1e6;
            }
        });
        var score = result.solution().getScore();
        int broken = PlanValidator.validate(problem, result.plan()).size();
        Run run = new Run(nodes, tasks, seed, totalWork, greedyMillis, greedyUnplaced, reached[0], score.hardScore(),
                score.mediumScore(), score.softScore(), result.moveEvaluationSpeed(), broken);
        log.printf(Locale.ROOT, "  seed %d: greedy %.0f ms leaves %.2f%% of the work unplaced; the solver reaches "
                        + "that at %.0f ms and ends at %.2f%% (%s), %,d moves/s, %d broken rules%n", seed, greedyMillis,
                run.greedyUnplacedPercent(), reached[0], run.finalUnplacedPercent(), score,
                result.moveEvaluationSpeed(), broken);
        return run;
    }

    public static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
