package io.gpuplacer.service.oracle;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.solver.SolutionManager;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.solver.SolverConfig;
import io.gpuplacer.constraints.PlacementConstraintProvider;
import io.gpuplacer.constraints.WeightCatalogue;
import io.gpuplacer.constraints.oracle.PlacementOracle;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.SolutionFactory;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.heuristic.GreedyPlacer;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.service.bench.ProblemGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For many random states and candidates, the oracle's score change equals what Timefold computes from scratch
 * for the same assignment, on every level, for candidates drawn from every node and slot (those that break a
 * per-task or capacity rule included) and non-default weights, on clusters with queues too (quotas, cohorts,
 * fair share); the oracle commits only what breaks nothing.
 */
class PlacementOracleDifferentialTest {

    private static final SolutionManager<PlacementSolution, HardMediumSoftLongScore> TIMEFOLD = SolutionManager.create(
            SolverFactory.create(new SolverConfig()
                    .withSolutionClass(PlacementSolution.class)
                    .withEntityClasses(TaskAssignment.class)
                    .withConstraintProviderClass(PlacementConstraintProvider.class)));

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9})
    void theOracleAgreesWithTimefold(long seed) throws Exception {
        ProblemGenerator.Documents docs = withQueuesFrom(7, ProblemGenerator.generate(14, 90, seed), seed);
        Problem problem = new ProblemReader().read(docs.cluster(), docs.jobs(), docs.signals());
        WeightCatalogue.Weights weights = seed % 2 == 0 ? WeightCatalogue.defaults()
                : WeightCatalogue.defaults().with(Map.of("nodeCostWeight", 3.0, "gpuFragmentationWeight", 2.0,
                "carbonPriceUsdPerTonne", 700.0, "preemptionRiskWeight", 5.0));
        PlacementSolution state = SolutionFactory.build(problem, weights.costModel(), weights.overrides());
        Random random = new Random(seed);
        // A realistic state: the greedy's placement, then a third of the single tasks taken out again.
        for (GreedyPlacer.Decision d : GreedyPlacer.place(state)) {
            d.task().setNode(d.node());
            d.task().setStartSlot(d.start());
        }
        List<TaskAssignment> singles = state.getTasks().stream()
                .filter(t -> !t.isRunning() && !t.isPinned() && t.getJob().tasks() == 1).toList();
        for (TaskAssignment t : singles) {
            if (random.nextInt(3) == 0) {
                t.setNode(null);
            }
        }
        PlacementOracle oracle = new PlacementOracle(state);
        int compared = 0;
        int infeasible = 0;
        int outOfRange = 0;
        for (int trial = 0; trial < 160; trial++) {
            List<TaskAssignment> open = singles.stream().filter(t -> t.getNode() == null).toList();
            if (open.isEmpty()) {
                break;
            }
            TaskAssignment task = open.get(random.nextInt(open.size()));
            // Any node and any slot of the horizon, not only its value ranges: unhealthy, cordoned, the wrong
            // model or MIG kind, SPOT for work that may not be preempted, outside its window, or full, so that the
            // oracle's copies of every per-task and capacity rule are held to the constraints'.
            Node node = state.getNodes().get(random.nextInt(state.getNodes().size()));
            int start = random.nextInt(problem.horizonHours());
            PlacementOracle.Option option = oracle.evaluate(task, node, start);
            HardMediumSoftLongScore predicted = option.delta();
            boolean inRanges = task.getNodeRange().contains(node) && task.getStartRange().contains(start);

            HardMediumSoftLongScore before = TIMEFOLD.update(state);
            // Timefold refuses a value outside an entity's value range, so the truth is scored on a twin of the
            // task whose ranges hold every node and slot (the constraints read no range).
            int at = state.getTasks().indexOf(task);
            TaskAssignment twin = new TaskAssignment(task.getJob(), task.getTask(), null, task.getOccupiedSlots(),
                    task.getEarliestStart(), task.getLatestStart(), problem.horizonHours(), state.getNodes(),
                    java.util.stream.IntStream.range(0, problem.horizonHours()).boxed().toList(), false,
                    task.getGangShare());
            twin.setNode(node);
            twin.setStartSlot(start);
            twin.setQuotaBook(task.getQuotaBook());
            state.getTasks().set(at, twin);
            HardMediumSoftLongScore after = TIMEFOLD.update(state);
            state.getTasks().set(at, task);
            assertThat(predicted).as("%s on %s from slot %d", task.getId(), node.id(), start)
                    .isEqualTo(after.subtract(before));
            // The GPU share left, as the extender compares it with gangs' holds: counted here from the state.
            assertThat(option.gpuLeftMilli()).as("milli-GPU left on %s at slot %d", node.id(), start)
                    .isEqualTo(node.gpuCount() * 1000L - loadAt(state, node, start) - milli(task));
            compared++;
            infeasible += predicted.hardScore() < 0 ? 1 : 0;
            outOfRange += inRanges ? 0 : 1;
            if (predicted.hardScore() < 0) { // the oracle refuses to commit it, and changes nothing
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> oracle.assign(task, node, start))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit on");
                assertThat(task.getNode()).isNull();
                assertThat(oracle.delta(task, node, start)).isEqualTo(predicted);
            }
            if (trial % 3 == 0) { // let the state move on along the oracle's own advice
                List<PlacementOracle.Option> best = oracle.recommend(task, 1);
                if (!best.isEmpty()) {
                    oracle.assign(task, best.get(0).node(), best.get(0).start());
                    assertThat(TIMEFOLD.update(state).hardScore()).isEqualTo(before.hardScore());
                }
            }
        }
        assertThat(compared).isGreaterThan(30);
        assertThat(infeasible).as("candidates that break a rule").isPositive();
        assertThat(outOfRange).as("candidates outside the task's value ranges").isPositive();
    }

    /** From seed {@code first} on, the cluster has queues (section 9): quotas, cohorts and fair share count too. */
    private static ProblemGenerator.Documents withQueuesFrom(long first, ProblemGenerator.Documents docs, long seed) {
        return seed >= first ? ProblemGenerator.withQueues(docs, seed) : docs;
    }

    /** Milli-GPU the state's placed tasks hold on the node at the slot (past the horizon, its last slot). */
    private static long loadAt(PlacementSolution state, Node node, int slot) {
        long load = 0;
        for (TaskAssignment t : state.getTasks()) {
            if (t.getNode() == node && t.getStartSlot() != null && t.getStartSlot() <= slot
                    && slot < t.endSlotFor(t.getStartSlot())) {
                load += milli(t);
            }
        }
        return load;
    }

    private static long milli(TaskAssignment t) {
        return t.getJob().gpu().usesGpu() ? t.getJob().gpu().shareMilli() : 0;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15, 16})
    void everyJobRecommendationIsFeasibleAndPricedAsTimefoldPricesIt(long seed) throws Exception {
        ProblemGenerator.Documents docs = withQueuesFrom(15, ProblemGenerator.generate(16, 80, seed), seed);
        Problem problem = new ProblemReader().read(docs.cluster(), docs.jobs(), docs.signals());
        WeightCatalogue.Weights weights = seed % 2 == 0 ? WeightCatalogue.defaults()
                : WeightCatalogue.defaults().with(Map.of("gangBlockSpreadWeight", 4.0, "blockSpreadUsd", 30.0,
                "carbonPriceUsdPerTonne", 300.0));
        PlacementSolution state = SolutionFactory.build(problem, weights.costModel(), weights.overrides());
        for (GreedyPlacer.Decision d : GreedyPlacer.place(state)) {
            d.task().setNode(d.node());
            d.task().setStartSlot(d.start());
        }
        // Take every pending job out again but for a third of the single tasks: the oracle recommends the rest.
        Random random = new Random(seed);
        Map<String, List<TaskAssignment>> open = new java.util.LinkedHashMap<>();
        for (TaskAssignment t : state.getTasks()) {
            if (!t.isRunning() && !t.isPinned() && (t.getJob().tasks() > 1 || random.nextInt(3) > 0)) {
                t.setNode(null);
                open.computeIfAbsent(t.getJob().id(), k -> new java.util.ArrayList<>()).add(t);
            }
        }
        PlacementOracle oracle = new PlacementOracle(state);
        HardMediumSoftLongScore before = TIMEFOLD.update(state);
        int gangOptions = 0;
        int options = 0;
        for (List<TaskAssignment> job : open.values()) {
            for (PlacementOracle.JobOption option : oracle.recommendJob(job, 3)) {
                assertThat(option.placements()).hasSize(job.size());
                for (PlacementOracle.TaskPlacement p : option.placements()) {
                    p.task().setNode(p.node());
                    p.task().setStartSlot(p.start());
                }
                HardMediumSoftLongScore after = TIMEFOLD.update(state);
                for (PlacementOracle.TaskPlacement p : option.placements()) {
                    p.task().setNode(null);
                }
                String where = option.placements().stream().map(p -> p.node().id() + "@" + p.start()).toList()
                        .toString();
                assertThat(after.hardScore()).as("%s %s", job.get(0).getJob().id(), where)
                        .isEqualTo(before.hardScore());
                assertThat(option.delta()).as("%s %s", job.get(0).getJob().id(), where)
                        .isEqualTo(after.subtract(before));
                options++;
                gangOptions += job.size() > 1 ? 1 : 0;
            }
        }
        assertThat(options).isGreaterThan(20);
        assertThat(gangOptions).as("recommendations for gangs").isPositive();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22})
    void onEmptyNodesTheShortcutsFindWhatAnExhaustiveSearchFinds(long seed) throws Exception {
        // Identical empty nodes are evaluated once and long windows only at their cheapest hours: on an empty
        // cluster that must lose nothing against trying every node at every start.
        ProblemGenerator.Documents docs = ProblemGenerator.generate(40, 60, seed);
        docs.cluster().putArray("running");
        Problem problem = new ProblemReader().read(docs.cluster(), docs.jobs(), docs.signals());
        WeightCatalogue.Weights weights = WeightCatalogue.defaults().with(Map.of("carbonPriceUsdPerTonne", 400.0));
        PlacementSolution state = SolutionFactory.build(problem, weights.costModel(), weights.overrides());
        PlacementOracle oracle = new PlacementOracle(state);
        int windows = 0;
        for (TaskAssignment task : state.getTasks()) {
            if (task.isPinned() || task.getJob().tasks() != 1) {
                continue;
            }
            List<HardMediumSoftLongScore> all = new java.util.ArrayList<>();
            for (Node node : task.getNodeRange()) {
                for (int start : task.getStartRange()) {
                    HardMediumSoftLongScore d = oracle.delta(task, node, start);
                    if (d.hardScore() == 0) {
                        all.add(d);
                    }
                }
            }
            all.sort(java.util.Comparator.reverseOrder());
            List<HardMediumSoftLongScore> recommended = oracle.recommend(task, 3).stream()
                    .map(PlacementOracle.Option::delta).toList();
            assertThat(recommended).as(task.getId()).isEqualTo(all.subList(0, Math.min(3, all.size())));
            windows += task.getStartRange().size() > 5 ? 1 : 0;
        }
        assertThat(windows).as("tasks with long windows").isPositive();
    }
}
