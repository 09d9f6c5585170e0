package io.gpuplacer.service.solve;

import ai.timefold.solver.core.config.solver.EnvironmentMode;
import io.gpuplacer.model.IndependentTotals;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.GpuDemand;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.RunningTask;
import io.gpuplacer.model.problem.WorkloadProfile;
import io.gpuplacer.model.validation.PlanValidator;
import io.gpuplacer.service.bench.ProblemGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every plan the solver makes on generated problems keeps the rules of section 5, as judged by the independent
 * {@link PlanValidator}, accounts for every job and running task, and carries the totals of section 6.
 */
class SolvedPlansAreValidTest {

    @Test
    void fragmentationIsMeasuredAgainstTheGivenWorkload() throws InputException {
        ProblemGenerator.Documents docs = ProblemGenerator.generate(10, 40, 1);
        Problem problem = new ProblemReader().read(docs.cluster(), docs.jobs(), docs.signals());
        PlacementSolver.Options options = new PlacementSolver.Options(Duration.ofSeconds(1), Duration.ofSeconds(1),
                EnvironmentMode.PHASE_ASSERT, 1L).withLocalSearchSteps(50);
        WorkloadProfile eightGpuJobs = WorkloadProfile.fromShapes(
                List.of(new WorkloadProfile.Shape(GpuDemand.whole(8), 16_000, 1)));

        assertThat(new PlacementSolver().solve(problem, options, p -> { }).solution().getCostModel().workload())
                .isEqualTo(WorkloadProfile.of(problem));
        PlacementSolver.Result given = new PlacementSolver().solve(problem, options.withWorkload(eightGpuJobs), p -> { });
        assertThat(given.solution().getCostModel().workload()).isEqualTo(eightGpuJobs);
        assertThat(options.withWorkload(eightGpuJobs).withoutExplanations().withLocalSearchSteps(10).workload())
                .isEqualTo(eightGpuJobs); // the other withers keep it
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void plansKeepEveryHardRule(long seed) throws InputException {
        ProblemGenerator.Documents docs = ProblemGenerator.generate(25, 160, seed);
        Problem problem = new ProblemReader().read(docs.cluster(), docs.jobs(), docs.signals());
        PlacementSolver.Options options = new PlacementSolver.Options(Duration.ofSeconds(2), Duration.ofSeconds(2),
                EnvironmentMode.PHASE_ASSERT, seed);
        Plan plan = new PlacementSolver().solve(problem, options, p -> { }).plan();

        assertThat(PlanValidator.validate(problem, plan)).isEmpty();
        assertThat(plan.feasible()).isTrue();
        assertThat(plan.score()).startsWith("0hard/");
        // Every pending job is placed whole or reported, never both.
        Set<String> placed = new HashSet<>();
        plan.placements().forEach(p -> placed.add(p.job()));
        Set<String> unplaced = new HashSet<>();
        plan.unplaced().stream().filter(u -> u.task() == null).forEach(u -> unplaced.add(u.job()));
        assertThat(placed).doesNotContainAnyElementsOf(unplaced);
        for (Job job : problem.jobs()) {
            assertThat(placed.contains(job.id()) || unplaced.contains(job.id())).as(job.id()).isTrue();
        }
        assertThat(plan.unplaced()).allSatisfy(u -> assertThat(u.reason()).isNotBlank());
        // Running tasks on dead nodes move or are reported.
        for (RunningTask r : problem.running()) {
            if (!r.node().healthy()) {
                boolean moved = plan.moves().stream().anyMatch(m -> m.job().equals(r.job().id()));
                boolean reported = plan.unplaced().stream().anyMatch(u -> u.job().equals(r.job().id()));
                assertThat(moved || reported).as(r.job().id()).isTrue();
            }
        }
        // The totals, against section 6 recomputed slot by slot (no code shared with the accounting).
        Plan.Totals recomputed = IndependentTotals.of(problem, plan);
        assertThat(plan.totals().energyKWh()).isCloseTo(recomputed.energyKWh(), within(1e-6));
        assertThat(plan.totals().co2eKg()).isCloseTo(recomputed.co2eKg(), within(1e-6));
        assertThat(plan.totals().energyCostUsd()).isCloseTo(recomputed.energyCostUsd(), within(1e-6));
        assertThat(plan.totals().nodeCostUsd()).isCloseTo(recomputed.nodeCostUsd(), within(1e-6));
        assertThat(plan.totals().expectedPreemptionLossGpuHours())
                .isCloseTo(recomputed.expectedPreemptionLossGpuHours(), within(1e-9));
        assertThat(plan.totals().placedGpuShare()).isPositive().isCloseTo(recomputed.placedGpuShare(), within(1e-9));
    }
}
