package io.gpuplacer.service.solve;

import io.gpuplacer.model.IndependentTotals;
import io.gpuplacer.model.accounting.Accounting;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.RunningTask;
import io.gpuplacer.service.bench.ProblemGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link Accounting} against {@link IndependentTotals} (section 6 recomputed slot by slot from the text) on
 * generated clusters with horizons shorter and longer than the 24-hour period of the extension, and plans drawn
 * from anything a caller could send: any job on any node from any start of the horizon, gangs split over starts,
 * running tasks moved anywhere. Accounting does not judge rules (the validator does), so it must hold for all.
 */
class AccountingDifferentialTest {

    @ParameterizedTest(name = "horizon {0}")
    @ValueSource(ints = {1, 5, 23, 24, 25, 48, 100})
    void totalsMatchTheIndependentRecomputation(int horizon) throws Exception {
        for (long seed = 1; seed <= 6; seed++) {
            ProblemGenerator.Documents docs = ProblemGenerator.generate(12, 50, seed);
            docs.jobs().put("horizonHours", horizon);
            Problem problem = new ProblemReader().read(docs.cluster(), docs.jobs(), docs.signals());
            Random random = new Random(seed * 31 + horizon);
            for (int draw = 0; draw < 20; draw++) {
                Plan plan = randomPlan(problem, random);
                Plan.Totals expected = IndependentTotals.of(problem, plan);
                Plan.Totals actual = Accounting.totals(problem, plan);
                String what = "seed " + seed + " draw " + draw;
                assertThat(actual.energyKWh()).as(what).isCloseTo(expected.energyKWh(), within(1e-6));
                assertThat(actual.co2eKg()).as(what).isCloseTo(expected.co2eKg(), within(1e-6));
                assertThat(actual.energyCostUsd()).as(what).isCloseTo(expected.energyCostUsd(), within(1e-6));
                assertThat(actual.nodeCostUsd()).as(what).isCloseTo(expected.nodeCostUsd(), within(1e-6));
                assertThat(actual.expectedPreemptionLossGpuHours()).as(what)
                        .isCloseTo(expected.expectedPreemptionLossGpuHours(), within(1e-9));
                assertThat(actual.placedGpuShare()).as(what).isCloseTo(expected.placedGpuShare(), within(1e-9));
            }
        }
    }

    private static Plan randomPlan(Problem problem, Random random) {
        List<Node> nodes = problem.nodes();
        List<Plan.Placement> placements = new ArrayList<>();
        for (Job job : problem.jobs()) {
            if (random.nextInt(10) < 3) {
                continue;
            }
            int start = random.nextInt(problem.horizonHours());
            boolean split = random.nextInt(5) == 0;
            Node together = nodes.get(random.nextInt(nodes.size()));
            for (int t = 0; t < job.tasks(); t++) {
                Node node = random.nextBoolean() ? together : nodes.get(random.nextInt(nodes.size()));
                int s = split ? random.nextInt(problem.horizonHours()) : start;
                placements.add(new Plan.Placement(job.id(), t, node.id(), List.of(0), null, s));
            }
        }
        List<Plan.Move> moves = new ArrayList<>();
        for (RunningTask r : problem.running()) {
            if (random.nextInt(4) == 0) {
                moves.add(new Plan.Move(r.job().id(), r.task(), r.node().id(),
                        nodes.get(random.nextInt(nodes.size())).id(), List.of(0), null));
            }
        }
        return new Plan("", true, placements, List.of(), moves, null, List.of(), List.of(), List.of());
    }
}
