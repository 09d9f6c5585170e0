package io.gpuplacer.model.quota;

import io.gpuplacer.model.QueueDocs;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.problem.Problem;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.gpuplacer.model.QueueDocs.job;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Section 9's fairness report on the worked example, worked out by hand. Cohort research lends 10 H100 GPUs (nlp
 * 8, vision its lending limit 2, lab 0); lab borrows the 4 it runs (400 per 1000 at weight 1); solo, alone, runs 4
 * A100 GPUs on a nominal 2 and lends its own 2 (1000).
 */
class FairSharesTest {

    private static final Problem PROBLEM = QueueDocs.problem(job("n", "nlp", 40, 6, 2), job("v", "vision", 10, 8, 2),
            job("w", "lab", 10, 2, 2), job("free", null, 10, 1, 1));

    private static Plan plan(List<Plan.Placement> placements, List<Plan.Unplaced> unplaced,
                             List<Plan.Preemption> preemptions) {
        return new Plan("", true, placements, unplaced, List.of(), null, List.of(), List.of(), List.of())
                .withPreemptions(preemptions);
    }

    @Test
    void weightedSharesWithThePlanCarriedOutAndJainOverTheQueuesWithUnplacedWork() {
        // n (nlp, 6 GPUs) starts now: nlp uses 10, borrows 2 of the 10 lent, at weight 2: 100.
        Plan plan = plan(List.of(new Plan.Placement("n", 0, "h4", List.of(0, 1, 2, 3, 4, 5), null, 0)),
                List.of(new Plan.Unplaced("v", null, "x"), new Plan.Unplaced("w", null, "y"),
                        new Plan.Unplaced("free", null, "no queue: not counted")), List.of());
        Plan.Fairness f = FairShares.of(PROBLEM, plan);
        assertThat(f.weightedShares()).containsExactly(java.util.Map.entry("nlp", 100.0),
                java.util.Map.entry("vision", 0.0), java.util.Map.entry("lab", 400.0),
                java.util.Map.entry("solo", 1000.0));
        // vision 0 and lab 400 wait: (0 + 400)^2 / (2 x 400^2) = 0.5.
        assertThat(f.jain()).isEqualTo(0.5);
    }

    @Test
    void aLaterStartBorrowsNothingNowAndPreemptedWorkHoldsNothing() {
        Plan plan = plan(List.of(new Plan.Placement("n", 0, "h4", List.of(0, 1, 2, 3, 4, 5), null, 3)),
                List.of(new Plan.Unplaced("v", null, "x"), new Plan.Unplaced("w", null, "y")),
                List.of(new Plan.Preemption("lab-run", 0, "h3", "n", "InCohortReclamation"),
                        new Plan.Preemption("lab-run", 1, "h3", "n", "InCohortReclamation")));
        Plan.Fairness f = FairShares.of(PROBLEM, plan);
        assertThat(f.weightedShares()).containsEntry("nlp", 0.0).containsEntry("lab", 0.0);
        assertThat(f.jain()).as("both waiting queues at 0: equal").isEqualTo(1.0);
        assertThat(FairShares.of(PROBLEM, plan(List.of(), List.of(), List.of())).jain()).as("nothing waits").isNull();
    }
}
