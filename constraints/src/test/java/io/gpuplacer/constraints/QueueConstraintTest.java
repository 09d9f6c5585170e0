package io.gpuplacer.constraints;

import ai.timefold.solver.test.api.score.stream.ConstraintVerifier;
import io.gpuplacer.model.QueueDocs;
import io.gpuplacer.model.Scenario;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.problem.CostModel;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.QuotaUnits;
import io.gpuplacer.model.problem.WorkloadProfile;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.gpuplacer.model.QueueDocs.job;

/**
 * The queue rules Q1-Q3 (section 9) on the worked example of {@link QueueDocs}: the cohort research lends 10
 * H100 GPUs and 8 of them are taken above guarantees; nlp may use 12 (nominal 8 + borrowingLimit 4); solo (no
 * cohort, nominal 2) already runs 4 A100 GPUs for 3 slots. Penalties are in quota units (7000 per GPU) x slots.
 */
class QueueConstraintTest {

    private static final long GPU = QuotaUnits.PER_GPU;

    private final ConstraintVerifier<PlacementConstraintProvider, PlacementSolution> verifier =
            ConstraintVerifier.build(new PlacementConstraintProvider(), PlacementSolution.class, TaskAssignment.class);

    private static Scenario scenario(String... jobs) {
        return Scenario.onCluster(QueueDocs.CLUSTER, jobs);
    }

    private static Object[] all(Scenario s) {
        return s.solution.getTasks().toArray();
    }

    private static final CostModel PRICES = new CostModel(1.0, 1.0, 100, 4, 5, 20, 0.5, 2, WorkloadProfile.empty());

    private static Object[] priced(Scenario s) {
        List<Object> facts = new ArrayList<>(s.solution.getTasks());
        facts.add(PRICES);
        return facts.toArray();
    }

    @Test
    @Verifies(value = ConstraintIds.PREEMPTION_LOSS, penalised = true)
    void preemptionLossPricesEachPreemptedTasksLostWork() {
        // lab-run's 2 tasks of 2 GPUs lose (30/2 + 3)/60 h each: 2 x 2 x 0.3 GPU-h x 4 USD = 4.8 USD.
        Scenario s = scenario(job("v", "vision", 40, 8, 2)).put("v", 0, "h3", 0);
        Job v = s.task("v", 0).getJob();
        s.task("lab-run", 0).preemptFor(v);
        s.task("lab-run", 1).preemptFor(v);
        verifier.verifyThat(PlacementConstraintProvider::preemptionLoss).given(priced(s)).penalizesBy(4_800_000);
        // Preempted work is neither dropped running work (hard) nor unplaced work (medium): its scheduler requeues it.
        verifier.verifyThat(PlacementConstraintProvider::runningTaskKept).given(priced(s)).penalizesBy(0);
        verifier.verifyThat(PlacementConstraintProvider::unplacedWork).given(priced(s)).penalizesBy(0);
    }

    @Test
    @Verifies(value = ConstraintIds.PREEMPTION_LOSS, penalised = false)
    void preemptionLossIsZeroWhenNothingIsPreempted() {
        Scenario s = scenario(job("v", "vision", 40, 8, 2)).put("v", 0, "h4", 0);
        verifier.verifyThat(PlacementConstraintProvider::preemptionLoss).given(priced(s)).penalizesBy(0);
        s.task("lab-run", 0).preemptFor(s.task("v", 0).getJob());
        s.task("lab-run", 0).keepRunning(); // taken back: it runs on
        verifier.verifyThat(PlacementConstraintProvider::preemptionLoss).given(priced(s)).penalizesBy(0);
        verifier.verifyThat(PlacementConstraintProvider::runningTaskKept).given(priced(s)).penalizesBy(0);
    }

    @Test
    @Verifies(value = ConstraintIds.FAIR_SHARING, penalised = true)
    void fairSharingPricesBorrowingOffTheWeightedSplit() {
        // In slot 0 nlp (weight 2) borrows 2 and lab (weight 1) 4: the fair split of 6 is 4 and 2, so 2 GPUs are
        // held off it for one slot, at 2 USD per GPU-hour. (Q2 is broken too here; it has its own test.)
        Scenario s = scenario(job("n", "nlp", 10, 6, 1)).put("n", 0, "h4", 0);
        verifier.verifyThat(PlacementConstraintProvider::fairSharing).given(priced(s)).penalizesBy(4_000_000);
    }

    @Test
    @Verifies(value = ConstraintIds.FAIR_SHARING, penalised = false)
    void fairSharingIsZeroForOneBorrowerOrAWeightedSplit() {
        Scenario alone = scenario(job("v", "vision", 10, 4, 1)).put("v", 0, "h4", 0); // only lab borrows
        verifier.verifyThat(PlacementConstraintProvider::fairSharing).given(priced(alone)).penalizesBy(0);
        // nlp borrows 8 (16 in use) and lab 4: 2 to 1, as their weights.
        Scenario split = scenario(job("n", "nlp", 10, 6, 1).replace("\"tasks\": 1", "\"tasks\": 2"))
                .put("n", 0, "h4", 0).put("n", 1, "h3", 0);
        verifier.verifyThat(PlacementConstraintProvider::fairSharing).given(priced(split)).penalizesBy(0);
    }

    @Test
    @Verifies(value = ConstraintIds.QUEUE_FLAVOR, penalised = true)
    void queueFlavorPenalisesWorkOnAFlavorItsQueueHasNoQuotaFor() {
        Scenario s = scenario(job("n", "nlp", 10, 1, 1), job("m", "nlp", 10, 1, 1)).put("n", 0, "a1", 0)
                .put("m", 0, "a1", 0);
        verifier.verifyThat(PlacementConstraintProvider::queueFlavor).given(all(s)).penalizesBy(2);
    }

    @Test
    @Verifies(value = ConstraintIds.QUEUE_FLAVOR, penalised = false)
    void queueFlavorLetsCpuOnlyWorkAndListedFlavorsBe() {
        Scenario s = scenario(job("n", "nlp", 10, 1, 1), job("c", "nlp", 10, 0, 1), job("free", null, 10, 1, 1))
                .put("n", 0, "h4", 0).put("c", 0, "a1", 0).put("free", 0, "a1", 0);
        verifier.verifyThat(PlacementConstraintProvider::queueFlavor).given(all(s)).penalizesBy(0);
    }

    @Test
    @Verifies(value = ConstraintIds.QUEUE_QUOTA, penalised = true)
    void queueQuotaPenalisesUseAboveNominalPlusTheBorrowingLimit() {
        // nlp at 14 GPUs in slot 0 (limit 12), 12 in slot 1.
        Scenario s = scenario(job("n", "nlp", 10, 8, 2), job("m", "nlp", 10, 2, 1)).put("n", 0, "h4", 0)
                .put("m", 0, "h1", 0);
        verifier.verifyThat(PlacementConstraintProvider::queueQuota).given(all(s)).penalizesBy(2 * GPU);
    }

    @Test
    @Verifies(value = ConstraintIds.QUEUE_QUOTA, penalised = false)
    void queueQuotaAcceptsUseUpToTheLimitAndQueuesWithoutOne() {
        // nlp at exactly 12; lab (no borrowing limit) is for Q2 alone to judge.
        Scenario s = scenario(job("n", "nlp", 10, 8, 2), job("l", "lab", 10, 8, 2)).put("n", 0, "h4", 0)
                .put("l", 0, "h3", 4);
        verifier.verifyThat(PlacementConstraintProvider::queueQuota).given(all(s)).penalizesBy(0);
    }

    @Test
    @Verifies(value = ConstraintIds.COHORT_LENDING, penalised = true)
    void cohortLendingPenalisesBorrowingBeyondWhatTheCohortLends() {
        // nlp adds 4 for 2 slots: 12 GPUs above guarantees against 10 lent, in slots 0 and 1. And solo, whose
        // running work already takes 4 where 2 are lent, adds a fifth in slot 2.
        Scenario s = scenario(job("n", "nlp", 10, 4, 2), QueueDocs.deferrable(job("s", "solo", 10, 1, 1)))
                .put("n", 0, "h4", 0).put("s", 0, "a1", 2);
        verifier.verifyThat(PlacementConstraintProvider::cohortLending).given(all(s)).penalizesBy(2 * 2 * GPU + GPU);
    }

    @Test
    @Verifies(value = ConstraintIds.COHORT_LENDING, penalised = false)
    void cohortLendingAcceptsGuaranteesWhatIsLentAndRunningWorkAsItIs() {
        // vision takes 6 of its own guarantee, nlp the 2 GPUs still lent, solo waits until its running work ends.
        Scenario s = scenario(job("v", "vision", 10, 6, 2), job("n", "nlp", 10, 2, 2),
                QueueDocs.deferrable(job("s", "solo", 10, 1, 1))).put("v", 0, "h4", 0).put("n", 0, "h1", 0)
                .put("s", 0, "a1", 3);
        verifier.verifyThat(PlacementConstraintProvider::cohortLending).given(all(s)).penalizesBy(0);
    }
}
