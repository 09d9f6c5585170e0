package io.gpuplacer.service.solve;

import ai.timefold.solver.core.config.solver.EnvironmentMode;
import io.gpuplacer.constraints.WeightCatalogue;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.validation.PlanValidator;
import io.gpuplacer.service.bench.ProblemGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A property over generated scenarios: raising the internal carbon price never raises the plan's emissions
 * beyond search noise (5%), never costs placed work, and every plan stays feasible. The search is cut by a step
 * count, not by time, so each run takes the same path on any machine.
 */
class CarbonPriceMonotonicityTest {

    private static final double NOISE = 0.05;

    private static Plan solve(Problem problem, double carbonPrice, long seed) throws InputException {
        WeightCatalogue.Weights weights = WeightCatalogue.defaults().with(Map.of(WeightCatalogue.CARBON_PRICE,
                carbonPrice));
        PlacementSolver.Options options = new PlacementSolver.Options(Duration.ofSeconds(30),
                Duration.ofSeconds(30), EnvironmentMode.PHASE_ASSERT, seed, weights).withLocalSearchSteps(20000);
        return new PlacementSolver().solve(problem, options, p -> { }).plan();
    }

    private static long medium(Plan plan) {
        String score = plan.score();
        return Long.parseLong(score.substring(score.indexOf('/') + 1, score.indexOf("medium")));
    }

    @ParameterizedTest(name = "scenario {0}")
    @ValueSource(longs = {21, 22, 23, 24})
    void moreExpensiveCarbonNeverMeansMoreCarbon(long seed) throws InputException {
        ProblemGenerator.Documents docs = ProblemGenerator.generate(12, 50, seed);
        Problem problem = new ProblemReader().read(docs.cluster(), docs.jobs(), docs.signals());
        Plan previous = null;
        for (double price : new double[]{0, 1000, 5000}) {
            Plan plan = solve(problem, price, seed);
            assertThat(plan.feasible()).isTrue();
            assertThat(PlanValidator.validate(problem, plan)).isEmpty();
            if (previous != null) {
                assertThat(plan.totals().co2eKg()).as("CO2e at %s USD/t", price)
                        .isLessThanOrEqualTo(previous.totals().co2eKg() * (1 + NOISE));
                assertThat(medium(plan)).as("placed work at %s USD/t", price).isGreaterThanOrEqualTo(medium(previous));
            }
            previous = plan;
        }
    }
}
