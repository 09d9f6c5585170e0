package io.gpuplacer.service.solve;

import ai.timefold.solver.core.api.score.analysis.ConstraintAnalysis;
import ai.timefold.solver.core.api.score.analysis.ScoreAnalysis;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.solver.ScoreAnalysisFetchPolicy;
import ai.timefold.solver.core.api.solver.SolutionManager;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.api.solver.SolverJob;
import ai.timefold.solver.core.api.solver.SolverManager;
import ai.timefold.solver.core.config.heuristic.selector.entity.EntitySelectorConfig;
import ai.timefold.solver.core.config.heuristic.selector.move.MoveSelectorConfig;
import ai.timefold.solver.core.config.heuristic.selector.move.composite.UnionMoveSelectorConfig;
import ai.timefold.solver.core.config.heuristic.selector.move.factory.MoveIteratorFactoryConfig;
import ai.timefold.solver.core.config.heuristic.selector.move.generic.ChangeMoveSelectorConfig;
import ai.timefold.solver.core.config.heuristic.selector.move.generic.SwapMoveSelectorConfig;
import ai.timefold.solver.core.config.heuristic.selector.value.ValueSelectorConfig;
import ai.timefold.solver.core.config.localsearch.LocalSearchPhaseConfig;
import ai.timefold.solver.core.config.phase.custom.CustomPhaseConfig;
import ai.timefold.solver.core.config.solver.EnvironmentMode;
import ai.timefold.solver.core.config.solver.SolverConfig;
import ai.timefold.solver.core.config.solver.termination.TerminationConfig;
import io.gpuplacer.constraints.ConstraintCatalogue;
import io.gpuplacer.constraints.PlacementConstraintProvider;
import io.gpuplacer.constraints.WeightCatalogue;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.SolutionFactory;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.heuristic.GangMoveFactory;
import io.gpuplacer.model.heuristic.GreedyConstructionPhase;
import io.gpuplacer.model.heuristic.NodeChangeMoveFactory;
import io.gpuplacer.model.heuristic.PreemptionPlanner;
import io.gpuplacer.model.heuristic.ShiftMoveFactory;
import io.gpuplacer.model.heuristic.SingleTaskFilter;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.plan.PlanBuilder;
import io.gpuplacer.model.problem.CostModel;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.WorkloadProfile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * Runs one optimization: greedy best-fit-decreasing construction, then local search (single-task change and
 * swap moves, whole-gang moves) until the time limit or until nothing improves for a while.
 */
public final class PlacementSolver {

    /**
     * How to solve. {@code unimproved} stops early once the best score has not improved for that long;
     * {@code weights} are the operator's prices and constraint weights; {@code workload} the demand classes the
     * fragmentation term measures against (null: the problem's own, {@link WorkloadProfile#of}).
     */
    public record Options(Duration limit, Duration unimproved, EnvironmentMode mode, Long randomSeed,
                          WeightCatalogue.Weights weights, Integer localSearchSteps, boolean explain,
                          WorkloadProfile workload) {

        public Options(Duration limit, Duration unimproved, EnvironmentMode mode, Long randomSeed) {
            this(limit, unimproved, mode, randomSeed, WeightCatalogue.defaults(), null, true, null);
        }

        public Options(Duration limit, Duration unimproved, EnvironmentMode mode, Long randomSeed,
                       WeightCatalogue.Weights weights) {
            this(limit, unimproved, mode, randomSeed, weights, null, true, null);
        }

        /** No per-job explanations: the plan's analysis then only counts matches (cheaper on big problems). */
        public Options withoutExplanations() {
            return new Options(limit, unimproved, mode, randomSeed, weights, localSearchSteps, false, workload);
        }

        /**
         * Fragmentation measured against these demand classes rather than the problem's own: a replay's pass
         * measures what the online oracle measures, all the trace's shapes, not the problem's 16 largest classes.
         */
        public Options withWorkload(WorkloadProfile profile) {
            return new Options(limit, unimproved, mode, randomSeed, weights, localSearchSteps, explain, profile);
        }

        /**
         * Stop the local search after this many steps as well: with a random seed, a run then takes the same
         * path on any machine (a time limit cuts it wherever the machine's speed puts it).
         */
        public Options withLocalSearchSteps(int steps) {
            return new Options(limit, unimproved, mode, randomSeed, weights, steps, explain, workload);
        }

        public static Options forSeconds(long seconds) {
            return new Options(Duration.ofSeconds(seconds), defaultUnimproved(Duration.ofSeconds(seconds)),
                    EnvironmentMode.PHASE_ASSERT, null);
        }

        public Options withWeights(WeightCatalogue.Weights newWeights) {
            return new Options(limit, unimproved, mode, randomSeed, newWeights, localSearchSteps, explain, workload);
        }

        /** A quarter of the limit, between 2 and 30 seconds. */
        public static Duration defaultUnimproved(Duration limit) {
            long millis = Math.max(2_000, Math.min(30_000, limit.toMillis() / 4));
            return Duration.ofMillis(millis);
        }
    }

    /** One improvement of the best solution (a copy the caller may keep), for progress output and checkpoints. */
    public record Progress(Duration elapsed, HardMediumSoftLongScore score, long placedTasks, long totalTasks,
                           PlacementSolution solution) {
    }

    /** The outcome: the plan and how the search went. */
    public record Result(PlacementSolution solution, Plan plan, Duration solvingTime, long moveEvaluationSpeed,
                         long moveEvaluationCount) {
    }

    public Result solve(Problem problem, Options options, Consumer<Progress> progress) {
        return solve(problem, options, progress, stop -> {
        });
    }

    /**
     * Solves, handing {@code onStarted} a way to stop early once the search runs: the result is then the best
     * solution found so far.
     */
    public Result solve(Problem problem, Options options, Consumer<Progress> progress, Consumer<Runnable> onStarted) {
        CostModel prices = options.workload() == null ? options.weights().costModel()
                : options.weights().costModel().withWorkload(options.workload());
        PlacementSolution initial = SolutionFactory.build(problem, prices, options.weights().overrides());
        PreemptionPlanner.plan(initial); // section 9: decided before the search, which plans around them
        long totalTasks = initial.getTasks().size();
        SolverConfig config = config(initial, options);
        SolverFactory<PlacementSolution> factory = SolverFactory.create(config);
        long started = System.nanoTime();
        try (SolverManager<PlacementSolution, Long> manager = SolverManager.create(factory)) {
            SolverJob<PlacementSolution, Long> job = manager.solveBuilder()
                    .withProblemId(1L)
                    .withProblem(initial)
                    .withBestSolutionEventConsumer(event -> {
                        PlacementSolution best = event.solution();
                        long placed = best.getTasks().stream().filter(t -> t.getNode() != null).count();
                        progress.accept(new Progress(Duration.ofNanos(System.nanoTime() - started), best.getScore(),
                                placed, totalTasks, best));
                    })
                    .run();
            onStarted.accept(job::terminateEarly);
            PlacementSolution best = job.getFinalBestSolution();
            Plan plan = toPlan(factory, best, options.explain());
            return new Result(best, plan, job.getSolvingDuration(), job.getMoveEvaluationSpeed(),
                    job.getMoveEvaluationCount());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("solving was interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("solving failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The plan of a solution, with the per-constraint scores and per-job explanations of Timefold's analysis. */
    public static Plan toPlan(SolverFactory<PlacementSolution> factory, PlacementSolution solution, boolean explain) {
        SolutionManager<PlacementSolution, HardMediumSoftLongScore> manager = SolutionManager.create(factory);
        ScoreAnalysis<HardMediumSoftLongScore> analysis = manager.analyze(solution,
                explain ? ScoreAnalysisFetchPolicy.FETCH_ALL : ScoreAnalysisFetchPolicy.FETCH_MATCH_COUNT);
        List<Plan.ConstraintScore> constraints = new ArrayList<>();
        for (ConstraintCatalogue.Entry entry : ConstraintCatalogue.ENTRIES) {
            ConstraintAnalysis<HardMediumSoftLongScore> c = analysis.getConstraintAnalysis(entry.id());
            HardMediumSoftLongScore score = c == null ? HardMediumSoftLongScore.ZERO : c.score();
            constraints.add(new Plan.ConstraintScore(entry.id(), entry.level().name(), levelScore(entry, score),
                    c == null ? 0 : c.matchCount()));
        }
        HardMediumSoftLongScore score = analysis.score();
        Plan plan = PlanBuilder.build(solution, score.toString(), score.isFeasible(), constraints, List.of());
        return explain ? plan.withExplanations(PlanExplainer.explain(solution.getProblem(), plan, analysis)) : plan;
    }

    private static String levelScore(ConstraintCatalogue.Entry entry, HardMediumSoftLongScore score) {
        return switch (entry.level()) {
            case HARD -> score.hardScore() + "hard";
            case MEDIUM -> score.mediumScore() + "medium";
            case SOFT -> score.softScore() + "soft";
        };
    }

    public static SolverConfig config(PlacementSolution problem, Options options) {
        boolean anySingle = problem.getTasks().stream()
                .anyMatch(t -> !t.isPinned() && (t.isRunning() || t.getJob().tasks() <= 1));
        boolean anyGang = problem.getTasks().stream()
                .anyMatch(t -> !t.isPinned() && !t.isRunning() && t.getJob().tasks() > 1);
        List<MoveSelectorConfig> selectors = new ArrayList<>();
        if (anySingle) {
            // Node changes by a factory of ours: Timefold's selector would first gather every task's node range.
            selectors.add(new MoveIteratorFactoryConfig().withMoveIteratorFactoryClass(NodeChangeMoveFactory.class));
            selectors.add(new ChangeMoveSelectorConfig()
                    .withEntitySelectorConfig(singleTasks())
                    .withValueSelectorConfig(new ValueSelectorConfig(TaskAssignment.START_SLOT)));
            selectors.add(new SwapMoveSelectorConfig()
                    .withEntitySelectorConfig(singleTasks())
                    .withSecondaryEntitySelectorConfig(singleTasks())
                    .withVariableNameIncludes(TaskAssignment.NODE));
        }
        if (anyGang) {
            selectors.add(new MoveIteratorFactoryConfig().withMoveIteratorFactoryClass(GangMoveFactory.class));
        }
        boolean anyWindow = problem.getTasks().stream()
                .anyMatch(t -> !t.isPinned() && !t.isRunning() && t.getStartRange().size() > 1);
        if (anyWindow) {
            selectors.add(new MoveIteratorFactoryConfig().withMoveIteratorFactoryClass(ShiftMoveFactory.class));
        }
        SolverConfig config = new SolverConfig()
                .withSolutionClass(PlacementSolution.class)
                .withEntityClasses(TaskAssignment.class)
                .withConstraintProviderClass(PlacementConstraintProvider.class)
                .withEnvironmentMode(options.mode());
        if (options.randomSeed() != null) {
            config.setRandomSeed(options.randomSeed());
        }
        CustomPhaseConfig construction = new CustomPhaseConfig()
                .withCustomPhaseCommands(new GreedyConstructionPhase());
        if (selectors.isEmpty() || options.limit().isZero()) {
            return config.withPhases(construction); // the construction phase ends by itself
        }
        config.withTerminationConfig(new TerminationConfig()
                .withSpentLimit(options.limit())
                .withUnimprovedSpentLimit(options.unimproved()));
        LocalSearchPhaseConfig search = new LocalSearchPhaseConfig()
                .withMoveSelectorConfig(new UnionMoveSelectorConfig().withMoveSelectorList(selectors));
        if (options.localSearchSteps() != null) {
            search.setTerminationConfig(new TerminationConfig().withStepCountLimit(options.localSearchSteps()));
        }
        return config.withPhases(construction, search);
    }

    private static EntitySelectorConfig singleTasks() {
        return new EntitySelectorConfig(TaskAssignment.class)
                .withFilterClass(SingleTaskFilter.class);
    }
}
