package io.gpuplacer.constraints;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.solver.SolutionManager;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.solver.SolverConfig;
import io.gpuplacer.model.Scenario;
import io.gpuplacer.model.TestDocs;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.SolutionFactory;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.problem.CostModel;
import org.junit.jupiter.api.Test;

import static io.gpuplacer.model.Scenario.job;
import static io.gpuplacer.model.Scenario.whole;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WeightCatalogueTest {

    @Test
    void everySoftConstraintHasAWeightKnobAndThePricesAreThere() {
        for (ConstraintCatalogue.Entry e : ConstraintCatalogue.ENTRIES) {
            if (e.level() == ConstraintCatalogue.Level.SOFT) {
                assertThat(WeightCatalogue.BY_ID).containsKey(e.id() + "Weight");
            }
        }
        assertThat(WeightCatalogue.BY_ID).containsKeys("carbonPriceUsdPerTonne", "preemptionLossUsdPerGpuHour",
                "moveCostUsd", "energyCostMultiplier", "nodeCostMultiplier");
        assertThat(WeightCatalogue.KNOBS).allSatisfy(k -> {
            assertThat(k.defaultValue()).isBetween(k.min(), k.max());
            assertThat(k.unit()).isNotBlank();
            assertThat(k.description()).isNotBlank();
        });
    }

    @Test
    void parsingOverridesDefaultsAndFeedsTheCostModel() throws InputException {
        WeightCatalogue.Weights w = WeightCatalogue.parse(TestDocs.parse(
                "{\"carbonPriceUsdPerTonne\": 500, \"gpuFragmentationWeight\": 0}"));
        CostModel cost = w.costModel();
        assertThat(cost.carbonPriceUsdPerTonne()).isEqualTo(500);
        assertThat(cost.moveCostUsd()).isEqualTo(WeightCatalogue.BY_ID.get("moveCostUsd").defaultValue());
        assertThat(w.overrides().getConstraintWeight("gpuFragmentation")).isEqualTo(HardMediumSoftLongScore.ZERO);
        assertThat(w.overrides().getConstraintWeight("carbonCost")).isEqualTo(HardMediumSoftLongScore.ONE_SOFT);
    }

    @Test
    void badKnobsAreRejectedByName() {
        assertThatThrownBy(() -> WeightCatalogue.parse(TestDocs.parse("{\"carbonPrice\": 5}")))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("carbonPrice: unknown knob; known knobs: blockSpreadUsd, carbonCostWeight");
        assertThatThrownBy(() -> WeightCatalogue.parse(TestDocs.parse("{\"carbonPriceUsdPerTonne\": -1}")))
                .hasMessage("carbonPriceUsdPerTonne: -1 is out of range 0..10000 (USD per tonne CO2e)");
        assertThatThrownBy(() -> WeightCatalogue.parse(TestDocs.parse("{\"moveCostWeight\": 1.5}")))
                .hasMessage("moveCostWeight: 1.5 must be a whole number");
        assertThatThrownBy(() -> WeightCatalogue.parse(TestDocs.parse("{\"moveCostUsd\": \"cheap\"}")))
                .hasMessage("moveCostUsd: \"cheap\" must be a number");
        assertThatThrownBy(() -> WeightCatalogue.parse(TestDocs.JSON.valueToTree(5)))
                .hasMessageContaining("must be a JSON object");
    }

    @Test
    void constraintWeightsReachTimefoldThroughTheOverrides() throws InputException {
        SolverFactory<PlacementSolution> factory = SolverFactory.create(new SolverConfig()
                .withSolutionClass(PlacementSolution.class)
                .withEntityClasses(TaskAssignment.class)
                .withConstraintProviderClass(PlacementConstraintProvider.class));
        SolutionManager<PlacementSolution, HardMediumSoftLongScore> manager = SolutionManager.create(factory);
        Scenario s = Scenario.of(job("x", whole(2), 3, ""));
        WeightCatalogue.Weights defaults = WeightCatalogue.defaults();
        WeightCatalogue.Weights tripleNodes = defaults.with(java.util.Map.of("nodeCostWeight", 3.0));

        long base = nodeCostOf(manager, s, defaults);
        assertThat(base).isNegative();
        assertThat(nodeCostOf(manager, s, tripleNodes)).isEqualTo(3 * base);
    }

    private static long nodeCostOf(SolutionManager<PlacementSolution, HardMediumSoftLongScore> manager, Scenario s,
                                   WeightCatalogue.Weights weights) {
        PlacementSolution solution = SolutionFactory.build(s.problem, weights.costModel(), weights.overrides());
        for (TaskAssignment t : solution.getTasks()) { // the same assignment as the scenario's
            TaskAssignment original = s.task(t.getJob().id(), t.getTask());
            t.setNode(original.getNode());
            t.setStartSlot(original.getStartSlot());
        }
        solution.getTasks().stream().filter(t -> t.getJob().id().equals("x")).findFirst().orElseThrow()
                .setNode(s.problem.node("h1"));
        return manager.analyze(solution).getConstraintAnalysis(ConstraintIds.NODE_COST).score().softScore();
    }
}
