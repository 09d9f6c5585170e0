package io.gpuplacer.service.solve;

import ai.timefold.solver.core.config.solver.EnvironmentMode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.constraints.WeightCatalogue;
import io.gpuplacer.model.TestDocs;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.SignalSeries;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Carbon-aware time shifting on the real DE-LU series of the bundled example (2024-03-18, 48 h): a job that may
 * run any time in the next two days goes to the cleanest hours when carbon has a price, and stays at the first
 * hour when it has none. Energy prices are switched off here so that carbon alone decides.
 */
class TimeShiftingTest {

    private static final int HOURS = 3;

    private static Problem problem() throws Exception {
        return problem(HOURS, "2024-03-20T00:00:00Z");
    }

    private static Problem problem(int hours, String deadline) throws Exception {
        ObjectNode signals = (ObjectNode) TestDocs.JSON.readTree(Path.of("..", "examples", "signals.json").toFile());
        ObjectNode zones = (ObjectNode) signals.get("zones");
        zones.retain("DE-LU");
        return new ProblemReader().read(TestDocs.parse(CLUSTER), TestDocs.parse(jobs(hours, deadline)), signals);
    }

    private static final String CLUSTER = """
            {"zones": [{"id": "DE-LU", "pue": 1.2}],
             "nodes": [{"id": "h100-001", "zone": "DE-LU", "gpuModel": "H100-80GB", "gpuCount": 8,
                        "cpuMillis": 192000, "memoryMiB": 2097152, "costPerHour": 98.32, "baseWatts": 1800,
                        "gpuBusyWatts": 630}]}
            """;

    private static String jobs(int hours, String deadline) {
        return """
                {"now": "2024-03-18T00:00:00Z", "horizonHours": 48,
                 "jobs": [{"id": "nightly-train", "priority": 10, "tasks": 1, "gpu": {"kind": "WHOLE", "count": 8},
                           "cpuMillis": 64000, "memoryMiB": 524288, "durationHours": %d, "utilization": 0.9,
                           "deadline": "%s"}]}
                """.formatted(hours, deadline);
    }

    private static Plan solve(Problem problem, double carbonPrice) throws InputException {
        WeightCatalogue.Weights weights = WeightCatalogue.defaults().with(Map.of(
                WeightCatalogue.CARBON_PRICE, carbonPrice, WeightCatalogue.ENERGY_COST_MULTIPLIER, 0.0));
        PlacementSolver.Options options = new PlacementSolver.Options(Duration.ofSeconds(2), Duration.ofSeconds(2),
                EnvironmentMode.PHASE_ASSERT, 3L, weights);
        Plan plan = new PlacementSolver().solve(problem, options, p -> { }).plan();
        assertThat(plan.placements()).singleElement();
        return plan;
    }

    private static int solvedStart(Problem problem, double carbonPrice) throws InputException {
        return solve(problem, carbonPrice).placements().get(0).startSlot();
    }

    @Test
    void aDeferrableJobMovesToTheCleanestHoursOnlyWhenCarbonHasAPrice() throws Exception {
        Problem problem = problem();
        SignalSeries de = problem.zone("DE-LU").signals();
        int cleanest = 0;
        for (int s = 0; s + HOURS <= 48; s++) {
            if (de.carbonSum(s, s + HOURS) < de.carbonSum(cleanest, cleanest + HOURS)) {
                cleanest = s;
            }
        }
        assertThat(cleanest).as("the real series has a cleaner window than the first hours").isPositive();
        assertThat(de.carbonSum(cleanest, cleanest + HOURS)).isLessThan(0.9 * de.carbonSum(0, HOURS));

        int priced = solvedStart(problem, 1000);
        assertThat(de.carbonSum(priced, priced + HOURS)).isEqualTo(de.carbonSum(cleanest, cleanest + HOURS));

        assertThat(solvedStart(problem, 0)).isZero();
    }

    @Test
    void theExplanationNamesTheHoursAndCarriesTheWholeScoreOfTheOnlyJob() throws Exception {
        Plan plan = solve(problem(), 1000);
        Plan.Explanation why = plan.explanations().get(0);
        assertThat(why.job()).isEqualTo("nightly-train");
        assertThat(why.placed()).isTrue();
        assertThat(why.summary()).contains("on h100-001 from slot", "(window 0..45)", "in DE-LU its hours average");
        assertThat(why.terms()).extracting(Plan.Term::constraint).contains("nodeCost", "carbonCost");
        long softTerms = why.terms().stream().mapToLong(t -> Long.parseLong(t.score().replace("soft", ""))).sum();
        String score = plan.score();
        long soft = Long.parseLong(score.substring(score.lastIndexOf('/') + 1).replace("soft", ""));
        assertThat(softTerms).isCloseTo(soft, org.assertj.core.data.Offset.offset(5L));
    }

    @Test
    void aLongJobWithAFarDeadlineIsAccountedForEveryHourAndNotPushedToTheEndOfTheHorizon() throws Exception {
        // 12 hours, deadline 100 hours away: every start 0..47 is allowed. Counting only the hours inside the
        // horizon (v1), a start at slot 47 pays for one hour and wins; v1.1 counts all 12.
        Problem problem = problem(12, "2024-03-22T04:00:00Z");
        SignalSeries de = problem.zone("DE-LU").signals();
        double best = Double.MAX_VALUE;
        for (int s = 0; s < 48; s++) {
            best = Math.min(best, de.carbonSum(s, s + 12));
        }
        assertThat(de.carbonSum(47, 48)).as("inside the horizon only, the last slot looks cheapest").isLessThan(best);

        Plan plan = solve(problem, 1000);
        int start = plan.placements().get(0).startSlot();
        assertThat(de.carbonSum(start, start + 12)).isEqualTo(best);
        // 12 hours on at 98.32 USD; (1800 W + 630 W x 0.9 x 8 GPUs) x PUE 1.2 = 7.6032 kWh an hour.
        assertThat(plan.totals().nodeCostUsd()).isCloseTo(12 * 98.32, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(plan.totals().energyKWh()).isCloseTo(12 * 7.6032, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(plan.totals().co2eKg()).isCloseTo(7.6032 * best / 1000.0, org.assertj.core.data.Offset.offset(1e-6));
        int past = start + 12 - 48;
        if (past > 0) {
            assertThat(plan.totalsPastHorizon().nodeCostUsd()).isCloseTo(past * 98.32,
                    org.assertj.core.data.Offset.offset(1e-6));
            assertThat(plan.explanations().get(0).summary()).contains(past + " h past the 48-hour horizon");
            assertThat(plan.warnings()).anyMatch(w -> w.contains("past the 48-hour horizon"));
        }
    }

    @Test
    void aPlansExplanationCountsTheHoursThatRestOnEstimatedSignals() throws Exception {
        Problem window = problem(HOURS, "2024-03-20T00:00:00Z");
        ObjectNode signals = (ObjectNode) TestDocs.JSON.readTree(Path.of("..", "examples", "signals.json").toFile());
        ((ObjectNode) signals.get("zones")).retain("DE-LU");
        signals.get("zones").get("DE-LU").get("carbon").forEach(p -> ((ObjectNode) p).put("estimated", true));
        Problem estimated = new ProblemReader().read(TestDocs.parse(CLUSTER), TestDocs.parse(jobs(HOURS,
                "2024-03-20T00:00:00Z")), signals);
        assertThat(solve(window, 1000).explanations().get(0).summary()).doesNotContain("estimated");
        assertThat(solve(estimated, 1000).explanations().get(0).summary()).contains("(3 h on estimated signals)");
        // Work that must start now says it too.
        ObjectNode now = TestDocs.parse(jobs(HOURS, "2024-03-20T00:00:00Z"));
        ((ObjectNode) now.get("jobs").get(0)).remove("deadline");
        Plan atOnce = solve(new ProblemReader().read(TestDocs.parse(CLUSTER), now, signals), 1000);
        assertThat(atOnce.explanations().get(0).summary())
                .contains("the signals of its hours in DE-LU are partly estimated (3 h on estimated signals)");
    }
}
