package io.gpuplacer.service.fairness;

import io.gpuplacer.service.bench.GridSeasons;
import io.gpuplacer.service.bench.ProblemGenerator;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fairness benchmark on a short, busy run: both policies' every hourly decision keeps the rules (the validator
 * judges them inside the simulation), every job is accounted for, and the contention is real (the baseline
 * preempts, queues wait).
 */
class FairnessBenchmarkTest {

    private static final ProblemGenerator.Grid SPRING = GridSeasons.load().get("spring");

    @Test
    void bothPoliciesKeepEveryRuleHourByHourAndAccountForEveryJob() throws Exception {
        FairnessWorkload workload = FairnessWorkload.generate(4, 36, 5, SPRING, 2);
        FairnessSimulation simulation = new FairnessSimulation(workload);
        FairnessSimulation.Outcome baseline = simulation.run(new KueueLikePolicy(workload));
        FairnessSimulation.Outcome optimizer = simulation.run(new OptimizerPolicy(100, 5, Duration.ofSeconds(2)));
        for (FairnessSimulation.Outcome o : List.of(baseline, optimizer)) {
            assertThat(o.brokenRules()).as("%s: %s", o.policy(), o.firstBreaks()).isZero();
            assertThat(o.started() + o.neverStarted()).as(o.policy()).isEqualTo(o.jobs())
                    .isEqualTo((int) workload.arrivals().stream().filter(a -> workload.measured(a.arrivalHour()))
                            .count());
            assertThat(o.utilization()).as(o.policy()).isBetween(0.0, 1.0);
            assertThat(o.jain()).as(o.policy()).isBetween(0.0, 1.0);
            assertThat(o.p95WaitHours().keySet()).as(o.policy()).isSubsetOf("nlp", "vision", "speech", "research")
                    .isNotEmpty();
        }
        assertThat(workload.arrivals().stream().mapToInt(a -> a.gpus() * a.hours()).sum())
                .as("more GPU-hours asked than the 32 GPUs give in 36 hours: the teams contend")
                .isGreaterThan(32 * 36 / 2);
        assertThat(baseline.preemptions() + optimizer.preemptions()).as("reclaims happen").isPositive();
    }

    @Test
    void theReportHasARowPerPolicyAndSeedAndTheMedians() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<FairnessBenchmark.Result> results = new FairnessBenchmark(new PrintStream(bytes, true,
                StandardCharsets.UTF_8)).run(2, 8, 2, List.of(1L, 2L), SPRING, 20);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(results).hasSize(2);
        assertThat(text.lines().filter(l -> l.startsWith("kueue-like"))).hasSize(2);
        assertThat(text.lines().filter(l -> l.startsWith("gpu-placer"))).hasSize(2);
        assertThat(text).contains("medians over 2 seed(s): utilisation");
    }
}
