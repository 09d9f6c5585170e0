package io.gpuplacer.model.validation;

import io.gpuplacer.model.QueueDocs;
import io.gpuplacer.model.accounting.Accounting;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.problem.Problem;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static io.gpuplacer.model.QueueDocs.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The queue rules Q1-Q3 and P1-P4 on the worked example of {@link QueueDocs}. */
class QueueRulesTest {

    private static Plan.Placement at(String job, int task, String node, int firstGpu, int gpus, int start) {
        return new Plan.Placement(job, task, node, IntStream.range(firstGpu, firstGpu + gpus).boxed().toList(), null,
                start);
    }

    private static Plan plan(List<Plan.Placement> placements, Plan.Preemption... preemptions) {
        return new Plan("", true, placements, List.of(), List.of(), null, List.of(), List.of(), List.of())
                .withPreemptions(List.of(preemptions));
    }

    private static List<String> errors(Problem problem, Plan plan) {
        return PlanValidator.validate(problem, plan);
    }

    @Test
    void theCohortLendsWhatItsQueuesDoNotUse() {
        // nlp may add 2 GPUs (the cohort lends 10, 8 are taken above guarantees)...
        Problem two = QueueDocs.problem(job("n", "nlp", 10, 2, 2));
        assertThat(errors(two, plan(List.of(at("n", 0, "h4", 0, 2, 0))))).isEmpty();
        // ...not 4, though it stays within its nominal of 8: lab borrows the rest (Q2), for the job's 2 slots.
        Problem four = QueueDocs.problem(job("n", "nlp", 10, 4, 2));
        assertThat(errors(four, plan(List.of(at("n", 0, "h4", 0, 4, 0))))).containsExactly(
                "Q2: cohort research, flavor H100-80GB, slot 0: queues use 12 GPUs above their guarantees (nlp 8, "
                        + "lab 4), but the cohort lends 10",
                "Q2: cohort research, flavor H100-80GB, slot 1: queues use 12 GPUs above their guarantees (nlp 8, "
                        + "lab 4), but the cohort lends 10");
        // Once nlp-run has ended (slot 5), the same job fits.
        Problem later = QueueDocs.problem(QueueDocs.deferrable(job("n", "nlp", 10, 4, 2)));
        assertThat(errors(later, plan(List.of(at("n", 0, "h4", 0, 4, 5))))).isEmpty();
    }

    @Test
    void aGuaranteedQuotaIsNotLent() {
        // vision's 14 guaranteed GPUs are its own: it may use 14, or all 16 of its nominal as that takes only the
        // 2 it lends, whatever the others do.
        Problem six = QueueDocs.problem(job("v", "vision", 10, 6, 1));
        assertThat(errors(six, plan(List.of(at("v", 0, "h4", 0, 6, 0))))).isEmpty();
        Problem eight = QueueDocs.problem(job("v", "vision", 10, 8, 1));
        assertThat(errors(eight, plan(List.of(at("v", 0, "h4", 0, 8, 0))))).isEmpty();
        // Two more would be taken from what nlp and lab borrow... it is over what the cohort lends.
        Problem ten = QueueDocs.problem(job("v", "vision", 10, 8, 1), job("w", "vision", 10, 2, 1));
        assertThat(errors(ten, plan(List.of(at("v", 0, "h4", 0, 8, 0), at("w", 0, "h1", 4, 2, 0)))))
                .containsExactly("Q2: cohort research, flavor H100-80GB, slot 0: queues use 12 GPUs above their "
                        + "guarantees (nlp 4, vision 4, lab 4), but the cohort lends 10");
    }

    @Test
    void aBorrowingLimitCapsTheQueue() {
        // nlp (nominal 8, borrowingLimit 4) at 14 GPUs breaks Q1 (and, the cohort lending 10, Q2).
        Problem problem = QueueDocs.problem(job("n", "nlp", 10, 8, 1), job("m", "nlp", 10, 2, 1));
        List<String> errors = errors(problem, plan(List.of(at("n", 0, "h4", 0, 8, 0), at("m", 0, "h1", 4, 2, 0))));
        assertThat(errors).contains("Q1: queue nlp, flavor H100-80GB, slot 0: uses 14 GPUs, more than nominal 8 + "
                + "borrowingLimit 4");
        assertThat(errors).anyMatch(e -> e.startsWith("Q2: cohort research, flavor H100-80GB, slot 0:"));
    }

    @Test
    void aQueueRunsOnlyOnItsFlavorsButCpuOnlyWorkUsesNoQuota() {
        Problem problem = QueueDocs.problem(job("n", "nlp", 10, 1, 1), job("c", "nlp", 10, 0, 1));
        assertThat(errors(problem, plan(List.of(at("n", 0, "a1", 4, 1, 0), new Plan.Placement("c", 0, "a1",
                List.of(), null, 0))))).containsExactly("Q3: queue nlp, flavor A100-80GB, slot 0: n#0 on node a1, "
                + "but the queue has no quota for that flavor (it lists [H100-80GB])");
    }

    @Test
    void runningWorkAlreadyOverALimitMayNotBeMadeWorse() {
        // solo (no cohort, nominal 2) runs 4 A100 GPUs for 3 slots: the plan may keep them, not add to them then.
        Problem problem = QueueDocs.problem(QueueDocs.deferrable(job("s", "solo", 10, 1, 1)));
        assertThat(errors(problem, plan(List.of()))).isEmpty();
        assertThat(errors(problem, plan(List.of(at("s", 0, "a1", 4, 1, 2))))).containsExactly(
                "Q2: cohort of queue solo, flavor A100-80GB, slot 2: queues use 5 GPUs above their guarantees "
                        + "(solo 5), but the cohort lends 2 (or the 4 its running work already takes)");
        assertThat(errors(problem, plan(List.of(at("s", 0, "a1", 4, 1, 3))))).isEmpty(); // solo-run has ended
    }

    @Test
    void lowerPriorityWorkOfTheSameQueueMayBePreempted() {
        Problem problem = QueueDocs.problem(job("n", "nlp", 20, 4, 2), job("low", "nlp", 10, 4, 2));
        Plan.Preemption p = new Plan.Preemption("nlp-run", 0, "h1", "n", "InClusterQueue");
        assertThat(errors(problem, plan(List.of(at("n", 0, "h1", 0, 4, 0)), p))).isEmpty();
        // Not for work of the same priority, nor for work that does not start now.
        assertThat(errors(problem, plan(List.of(at("low", 0, "h1", 0, 4, 0)),
                new Plan.Preemption("nlp-run", 0, "h1", "low", "InClusterQueue")))).containsExactly(
                "preemption nlp-run#0 for low: queue nlp, flavor H100-80GB, slot 0: withinQueue is LowerPriority "
                        + "and the victim's priority 10 is not below 10 (P2)");
        Problem deferrable = QueueDocs.problem(QueueDocs.deferrable(job("n", "nlp", 20, 4, 2)));
        assertThat(errors(deferrable, plan(List.of(at("n", 0, "h1", 0, 4, 1)), p))).containsExactly(
                "preemption nlp-run#0 for n: n is not a job this plan places at slot 0 (P1)");
    }

    @Test
    void aQueueReclaimsWhatAnotherBorrowsAGangGoesWhole() {
        // vision (reclaimWithinCohort LowerPriority) takes back the 4 GPUs lab borrows, for work of priority 40.
        Problem problem = QueueDocs.problem(job("v", "vision", 40, 8, 2));
        List<Plan.Placement> placed = List.of(at("v", 0, "h4", 0, 8, 0));
        Plan.Preemption first = new Plan.Preemption("lab-run", 0, "h3", "v", "InCohortReclamation");
        Plan.Preemption second = new Plan.Preemption("lab-run", 1, "h3", "v", "InCohortReclamation");
        Plan whole = plan(placed, first, second);
        assertThat(errors(problem, whole)).isEmpty();
        assertThat(Accounting.totals(problem, whole).preemptionLossGpuHours())
                .isCloseTo(2 * 2 * (30 / 2.0 + 3) / 60, within(1e-12));
        assertThat(errors(problem, plan(placed, first))).containsExactly("preemption lab-run#0 for v: only 1 of "
                + "the 2 running tasks of lab-run are preempted; a gang is preempted whole (P1)");
        // Not for work of lab's own priority (LowerPriority), and never from a queue that does not borrow.
        Problem equal = QueueDocs.problem(job("v", "vision", 30, 8, 2));
        assertThat(errors(equal, whole)).hasSize(2).allMatch(e -> e.endsWith("reclaimWithinCohort is LowerPriority "
                + "and the victim's priority 30 is not below 30 (P3)"));
        Problem nlp = QueueDocs.problem(job("n", "nlp", 40, 2, 2));
        assertThat(errors(nlp, plan(List.of(at("n", 0, "h4", 0, 2, 0)), new Plan.Preemption("vision-run", 0, "h2",
                "n", "InCohortReclamation")))).containsExactly("preemption vision-run#0 for n: queue nlp, flavor "
                + "H100-80GB, slot 0: the victim's queue vision uses 8 of its nominal 16: it does not borrow (P3)");
    }

    @Test
    void aBorrowingQueueReclaimsOnlyFromLowerPriorityAndSaysSo() {
        // nlp ends at 10 GPUs, above its nominal 8: it reclaims while borrowing (P4), from lab's priority 30.
        Problem problem = QueueDocs.problem(job("n", "nlp", 40, 6, 2));
        List<Plan.Placement> placed = List.of(at("n", 0, "h4", 0, 6, 0));
        assertThat(errors(problem, plan(placed, new Plan.Preemption("lab-run", 0, "h3", "n",
                "InCohortReclaimWhileBorrowing"), new Plan.Preemption("lab-run", 1, "h3", "n",
                "InCohortReclaimWhileBorrowing")))).isEmpty();
        assertThat(errors(problem, plan(placed, new Plan.Preemption("lab-run", 0, "h3", "n", "InCohortReclamation"),
                new Plan.Preemption("lab-run", 1, "h3", "n", "InCohortReclamation"))))
                .hasSize(2).allMatch(e -> e.endsWith("uses 10 GPUs after the placement, above its nominal 8: that is "
                        + "InCohortReclaimWhileBorrowing, not InCohortReclamation (P3)"));
        Problem equal = QueueDocs.problem(job("n", "nlp", 30, 6, 2));
        assertThat(errors(equal, plan(placed, new Plan.Preemption("lab-run", 0, "h3", "n",
                "InCohortReclaimWhileBorrowing"), new Plan.Preemption("lab-run", 1, "h3", "n",
                "InCohortReclaimWhileBorrowing")))).hasSize(2).allMatch(e -> e.endsWith("borrowWithinCohort is "
                + "LowerPriority and the victim's priority 30 is not below 30 (P4)"));
    }

    @Test
    void workOfNoQueueNeitherPreemptsNorIsPreemptedAndMovesAreNotPreemptions() {
        Problem problem = QueueDocs.problem(job("free", null, 90, 4, 2));
        assertThat(errors(problem, plan(List.of(at("free", 0, "h1", 0, 4, 0)), new Plan.Preemption("nlp-run", 0,
                "h1", "free", "InClusterQueue")))).containsExactly("preemption nlp-run#0 for free: free has no queue; "
                + "work of no queue is never preempted and never preempts (P1)");
        Problem n = QueueDocs.problem(job("n", "nlp", 20, 4, 2));
        Plan moved = new Plan("", true, List.of(at("n", 0, "h1", 0, 4, 0)), List.of(), List.of(new Plan.Move(
                "nlp-run", 0, "h1", "h4", List.of(0, 1, 2, 3), null)), null, List.of(), List.of(), List.of())
                .withPreemptions(List.of(new Plan.Preemption("nlp-run", 0, "h1", "n", "InClusterQueue")));
        assertThat(errors(n, moved)).contains("preemption nlp-run#0 for n: the task also moves; a task that moves is "
                + "not preempted (P1)");
        assertThat(errors(n, plan(List.of(at("n", 0, "h1", 0, 4, 0)), new Plan.Preemption("nlp-run", 0, "h2", "n",
                "Because")))).containsExactly("preemption nlp-run#0 for n: node h2 is not where it runs (h1) (P1)",
                "preemption nlp-run#0 for n: reason \"Because\" is not one of InClusterQueue, InCohortReclamation, "
                        + "InCohortReclaimWhileBorrowing");
    }
}
