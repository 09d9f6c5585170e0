package io.gpuplacer.service.solve;

import ai.timefold.solver.core.api.score.analysis.ScoreAnalysis;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.solver.ScoreAnalysisFetchPolicy;
import ai.timefold.solver.core.api.solver.SolutionManager;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.solver.EnvironmentMode;
import io.gpuplacer.constraints.ConstraintIds;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.SolutionFactory;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.validation.PlanValidator;
import io.gpuplacer.service.bench.ProblemGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queue rules (section 9) as the solver scores them and as the independent validator reads the contract
 * agree: on generated clusters with queues, cohorts and random limits, for assignments drawn from everything the
 * model can express (any node and start of a task's ranges, tasks moved or left unplaced), and the solver's plans
 * keep them.
 */
class QueueRulesAgreementTest {

    private static Problem problem(long seed) throws InputException {
        ProblemGenerator.Documents docs = ProblemGenerator.withQueues(ProblemGenerator.generate(25, 160, seed), seed);
        return new ProblemReader().read(docs.cluster(), docs.jobs(), docs.signals());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void solvedPlansKeepTheQueueRules(long seed) throws InputException {
        Problem problem = problem(seed);
        PlacementSolver.Options options = new PlacementSolver.Options(Duration.ofSeconds(2), Duration.ofSeconds(2),
                EnvironmentMode.PHASE_ASSERT, seed);
        Plan plan = new PlacementSolver().solve(problem, options, p -> { }).plan();

        assertThat(PlanValidator.validate(problem, plan)).isEmpty();
        assertThat(plan.score()).startsWith("0hard/");
        assertThat(plan.placements()).isNotEmpty();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15, 16})
    void theConstraintsBreakAQueueRuleExactlyWhenTheValidatorSaysSo(long seed) throws InputException {
        Problem problem = problem(seed);
        SolverFactory<PlacementSolution> factory = SolverFactory.create(
                PlacementSolver.config(SolutionFactory.build(problem), PlacementSolver.Options.forSeconds(1)));
        SolutionManager<PlacementSolution, HardMediumSoftLongScore> manager = SolutionManager.create(factory);
        Random random = new Random(seed);
        int broken = 0;
        for (int round = 0; round < 15; round++) {
            PlacementSolution solution = SolutionFactory.build(problem);
            Plan plan = assignAtRandom(problem, solution, random);
            ScoreAnalysis<HardMediumSoftLongScore> analysis = manager.analyze(solution,
                    ScoreAnalysisFetchPolicy.FETCH_MATCH_COUNT);
            List<String> errors = PlanValidator.validate(problem, plan);
            for (String[] rule : new String[][]{{"Q1", ConstraintIds.QUEUE_QUOTA},
                    {"Q2", ConstraintIds.COHORT_LENDING}, {"Q3", ConstraintIds.QUEUE_FLAVOR}}) {
                long validatorSays = errors.stream().filter(e -> e.startsWith(rule[0] + ":")).count();
                var constraint = analysis.constraintMap().entrySet().stream()
                        .filter(e -> e.getKey().constraintName().equals(rule[1])).findFirst().orElseThrow()
                        .getValue();
                assertThat(constraint.score().hardScore() != 0).as("%s in round %d: %s", rule[0], round, errors)
                        .isEqualTo(validatorSays > 0);
                if (rule[0].equals("Q3")) { // one line and one match per task
                    assertThat((long) constraint.matchCount()).isEqualTo(validatorSays);
                }
                broken += validatorSays > 0 ? 1 : 0;
            }
        }
        assertThat(broken).as("the random assignments break quota rules in some rounds").isPositive();
    }

    /**
     * Puts each pending task on a random node of its value range at a random start of its window, or leaves it
     * unplaced (gangs may end up split: the quota rules count every task placed); moves some running tasks within
     * their ranges. The ranges already leave out the flavors a queue has no quota for (Q3), so Q3 must read 0
     * here; its constraint is verified on hand-made assignments. Returns the plan those decisions make.
     */
    private static Plan assignAtRandom(Problem problem, PlacementSolution solution, Random random) {
        List<Plan.Placement> placements = new ArrayList<>();
        List<Plan.Move> moves = new ArrayList<>();
        for (TaskAssignment t : solution.getTasks()) {
            if (t.isRunning()) {
                if (t.getNode() != null && t.getRunning().migratable() && random.nextDouble() < 0.2) {
                    Node to = t.getNodeRange().get(random.nextInt(t.getNodeRange().size()));
                    t.setNode(to);
                    if (!to.equals(t.getRunning().node())) {
                        moves.add(new Plan.Move(t.getJob().id(), t.getTask(), t.getRunning().node().id(), to.id(),
                                List.of(), null));
                    }
                }
                continue; // on a dead node (no node) it is gone, as the validator reads a plan that does not move it
            }
            if (t.isPinned() || random.nextDouble() < 0.3) {
                continue;
            }
            Node node = t.getNodeRange().get(random.nextInt(t.getNodeRange().size()));
            int start = t.getStartRange().get(random.nextInt(t.getStartRange().size()));
            t.setNode(node);
            t.setStartSlot(start);
            placements.add(new Plan.Placement(t.getJob().id(), t.getTask(), node.id(), List.of(), null, start));
        }
        return new Plan("", false, placements, List.of(), moves, null, List.of(), List.of(), List.of());
    }
}
