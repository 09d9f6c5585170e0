package io.gpuplacer.service.solve;

import ai.timefold.solver.core.config.solver.EnvironmentMode;
import io.gpuplacer.model.QueueDocs;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.validation.PlanValidator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.gpuplacer.model.QueueDocs.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Worked examples of section 9 solved end to end on {@link QueueDocs}: quotas decided with the rest of the plan,
 * preemptions only where a policy allows them, victims in Kueue's order, and reasons that name the queue and the
 * limit. Every plan is checked by the independent validator.
 */
class QueuePlansTest {

    private static Plan solve(Problem problem) {
        PlacementSolver.Options options = new PlacementSolver.Options(Duration.ofSeconds(1), Duration.ofSeconds(1),
                EnvironmentMode.PHASE_ASSERT, 1L);
        Plan plan = new PlacementSolver().solve(problem, options, p -> { }).plan();
        assertThat(PlanValidator.validate(problem, plan)).isEmpty();
        assertThat(plan.score()).startsWith("0hard/");
        return plan;
    }

    private static List<String> placedJobs(Plan plan) {
        return plan.placements().stream().map(Plan.Placement::job).distinct().sorted().toList();
    }

    @Test
    void workThatFitsItsQueuePreemptsNothing() {
        Plan plan = solve(QueueDocs.problem(job("n", "nlp", 20, 2, 2)));
        assertThat(placedJobs(plan)).containsExactly("n");
        assertThat(plan.preemptions()).isEmpty();
        assertThat(plan.totals().preemptionLossGpuHours()).isZero();
    }

    @Test
    void aQueueBelowItsNominalReclaimsFromTheBorrowingQueueFirstAndTheGangGoesWhole() {
        // nlp (4 of its nominal 8) needs 4 more now; the cohort's lent GPUs are taken, 4 of them by lab. nlp could
        // also preempt its own nlp-run (lower priority), but Kueue takes from a borrowing queue first.
        Plan plan = solve(QueueDocs.problem(job("n", "nlp", 20, 4, 2)));
        assertThat(placedJobs(plan)).containsExactly("n");
        assertThat(plan.placements()).allMatch(p -> p.startSlot() == 0);
        assertThat(plan.preemptions()).containsExactlyInAnyOrder(
                new Plan.Preemption("lab-run", 0, "h3", "n", "InCohortReclamation"),
                new Plan.Preemption("lab-run", 1, "h3", "n", "InCohortReclamation"));
        assertThat(plan.totals().preemptionLossGpuHours()).isCloseTo(2 * 2 * (30 / 2.0 + 3) / 60, within(1e-9));
        // Section 9's fairness with the plan carried out: lab's work preempted, it borrows nothing now.
        assertThat(plan.fairness().weightedShares()).containsOnlyKeys("nlp", "vision", "lab", "solo")
                .containsEntry("lab", 0.0);
        // What the lost work had drawn: 0.3 h per task x (600 W x 1.0 x 2 GPUs + 1000 W x 2/8) x PUE 1.2, twice.
        assertThat(plan.warnings()).anyMatch(w -> w.startsWith("preemptions: 2 running tasks stopped (lab-run); "
                + "1.20 GPU-hours of work lost since their last checkpoints and to their restarts, which had drawn "
                + "1.04 kWh ("));
        assertThat(plan.constraints()).anyMatch(c -> c.id().equals("preemptionLoss") && c.matches() == 2);
    }

    @Test
    void workThatMayWaitIsNotAReasonToPreempt() {
        // The same job with a deadline fits once nlp-run has ended (slot 5): nothing is stopped for it.
        Plan plan = solve(QueueDocs.problem(QueueDocs.deferrable(job("n", "nlp", 20, 4, 2))));
        assertThat(placedJobs(plan)).containsExactly("n");
        assertThat(plan.placements()).allMatch(p -> p.startSlot() >= 5);
        assertThat(plan.preemptions()).isEmpty();
    }

    @Test
    void withoutAPolicyThatAllowsItTheWorkWaitsAndTheReasonNamesTheQueueAndTheLimit() {
        // vision reclaims only from lower priority; lab-run has vision's priority 30. Its 10 GPUs would take 4
        // above its guarantee of 14 where the cohort has 2 left to lend.
        Plan plan = solve(QueueDocs.problem(job("v", "vision", 30, 8, 2), job("w", "vision", 30, 2, 2)));
        assertThat(plan.preemptions()).isEmpty();
        assertThat(placedJobs(plan)).hasSize(1);
        assertThat(plan.unplaced()).singleElement().satisfies(u -> assertThat(u.reason()).startsWith(
                "queue vision needs " + (u.job().equals("v") ? "8" : "2") + " H100-80GB GPUs in slot 0 above its "
                        + "guarantee, and cohort research lends 10: "));
        // Work of no queue is bound by no quota, and never preempts.
        Plan free = solve(QueueDocs.problem(job("free", null, 90, 8, 2)));
        assertThat(placedJobs(free)).containsExactly("free");
        assertThat(free.preemptions()).isEmpty();
    }

    @Test
    void aQueueAtItsBorrowingLimitGetsNoMoreAndIsToldWhy() {
        // nlp may use 12; with 4 running, 8 more fit only when the cohort lends them: it lends 2 until lab's work
        // is reclaimed, so nlp (which may reclaim while borrowing, from lower priority) stops lab-run for it.
        Plan plan = solve(QueueDocs.problem(job("n", "nlp", 40, 6, 2)));
        assertThat(placedJobs(plan)).containsExactly("n");
        assertThat(plan.preemptions()).extracting(Plan.Preemption::reason)
                .containsOnly("InCohortReclaimWhileBorrowing");
        // A gang of 2 x 6 would take nlp to 16 GPUs, above its 12, whatever is preempted.
        Plan capped = solve(QueueDocs.problem(job("g", "nlp", 40, 6, 2).replace("\"tasks\": 1", "\"tasks\": 2")));
        assertThat(capped.placements()).isEmpty();
        assertThat(capped.preemptions()).isEmpty();
        assertThat(capped.unplaced()).singleElement().satisfies(u -> assertThat(u.reason()).startsWith(
                "queue nlp may use 12 H100-80GB GPUs in slot 0 and uses 4: 12 more do not fit ("));
    }

    /**
     * nlp at its 12 GPUs (nlp-run 4 and nlp-big 8): a 1-GPU job of priority 11 may preempt nlp-run (priority 10)
     * within the queue, but it would stop more priority-weighted work (10 x 4 GPUs) than it starts (11 x 1), which
     * goes back to the queue: it waits. One of priority 100 preempts. (Fails without the price: both preempted.)
     */
    @Test
    void aPreemptionForPriorityPaysForTheWorkItStops() {
        String cluster = QueueDocs.CLUSTER.replace("\"running\": [", """
                "running": [
                  {"job": "nlp-big", "task": 0, "node": "h4", "gpus": [0,1,2,3,4,5,6,7], "remainingHours": 9,
                   "team": "nlp", "priority": 10, "gpu": {"kind": "WHOLE", "count": 8}, "cpuMillis": 1000,
                   "memoryMiB": 1024, "startedAt": "2026-11-21T10:00:00Z"},""");
        for (int priority : new int[]{11, 100}) {
            String queue = "{\"now\": \"2026-11-22T00:00:00Z\", \"horizonHours\": 12, \"jobs\": ["
                    + QueueDocs.job("p", "nlp", priority, 1, 2) + "]}";
            Plan plan = solve(io.gpuplacer.model.TestDocs.read(cluster, queue, null));
            if (priority == 11) {
                assertThat(plan.preemptions()).isEmpty();
                assertThat(plan.placements()).allMatch(p -> !p.job().equals("p") || p.startSlot() > 0);
            } else {
                assertThat(plan.preemptions()).extracting(Plan.Preemption::job, Plan.Preemption::reason)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("nlp-run", "InClusterQueue"));
                assertThat(plan.placements()).anyMatch(p -> p.job().equals("p") && p.startSlot() == 0);
            }
        }
    }
}
