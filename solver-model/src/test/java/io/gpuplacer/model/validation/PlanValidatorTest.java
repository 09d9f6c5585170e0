package io.gpuplacer.model.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.model.TestDocs;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.problem.Problem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** On {@link TestDocs}: j1 = BLOCK gang 2 x 4 H100 (not preemptible), j2 = SHARED 300 with a 10:00 deadline,
 * j3 = MIG 3g.40gb; run-1 holds GPUs 0,1 of h2 for 3 slots. */
class PlanValidatorTest {

    private static final List<Plan.Placement> VALID = List.of(
            new Plan.Placement("j1", 0, "h1", List.of(0, 1, 2, 3), null, 0),
            new Plan.Placement("j1", 1, "h1", List.of(4, 5, 6, 7), null, 0),
            new Plan.Placement("j2", 0, "t1", List.of(0), null, 3),
            new Plan.Placement("j3", 0, "a1", List.of(0), 0, 0));

    private final Problem problem = TestDocs.read(TestDocs.CLUSTER, TestDocs.JOBS, TestDocs.SIGNALS);

    private static Plan plan(List<Plan.Placement> placements, List<Plan.Move> moves, List<Plan.Unplaced> unplaced) {
        return new Plan("", true, placements, unplaced, moves, null, List.of(), List.of(), List.of());
    }

    private List<String> validateWith(int index, UnaryOperator<Plan.Placement> change) {
        List<Plan.Placement> placements = new ArrayList<>(VALID);
        Plan.Placement changed = change.apply(placements.get(index));
        if (changed == null) {
            placements.remove(index);
        } else {
            placements.set(index, changed);
        }
        return PlanValidator.validate(problem, plan(placements, List.of(), List.of()));
    }

    private static Plan.Placement with(Plan.Placement p, String node, List<Integer> gpus, Integer migStart, int start) {
        return new Plan.Placement(p.job(), p.task(), node, gpus, migStart, start);
    }

    @Test
    void aValidPlanPasses() {
        assertThat(PlanValidator.validate(problem, plan(VALID, List.of(), List.of()))).isEmpty();
        // The gang may also span two nodes of one block, around run-1's GPUs.
        assertThat(validateWith(1, p -> with(p, "h2", List.of(2, 3, 4, 5), null, 0))).isEmpty();
        assertThat(validateWith(2, p -> with(p, "t1", List.of(1), null, 9))).isEmpty();
    }

    @Test
    void gpuHeldTwiceBreaksRule4() {
        assertThat(validateWith(1, p -> with(p, "h1", List.of(0, 1, 2, 3), null, 0)))
                .anyMatch(e -> e.contains("node h1 slot 0: GPU 0 is held by a WHOLE task and another task (rule 4)"));
        assertThat(validateWith(1, p -> with(p, "h2", List.of(1, 2, 3, 4), null, 0)))
                .anyMatch(e -> e.contains("node h2 slot 0: GPU 1 is held"));
    }

    @Test
    void modelSpotAndTopologyAreChecked() {
        assertThat(validateWith(1, p -> with(p, "t1", List.of(0, 1, 0, 1), null, 0)))
                .anyMatch(e -> e.contains("has T4, not one of [H100-80GB] (rule 2)"))
                .anyMatch(e -> e.contains("not preemptible but node t1 is SPOT (rule 7)"))
                .anyMatch(e -> e.contains("needs 4 distinct (rule 5)"))
                .anyMatch(e -> e.contains("job j1: BLOCK gang spread over blocks"));
    }

    @Test
    void gangsStartTogetherAndWhole() {
        assertThat(validateWith(1, p -> with(p, "h1", p.gpus(), null, 1)))
                .anyMatch(e -> e.contains("job j1: tasks start in different slots"))
                .anyMatch(e -> e.contains("no deadline, so it must start in slot 0, not 1 (rule 8)"));
        assertThat(validateWith(1, p -> null)).anyMatch(e -> e.contains("job j1: 1 of 2 tasks placed"));
    }

    @Test
    void deadlinesAreChecked() {
        assertThat(validateWith(2, p -> with(p, "t1", List.of(0), null, 10)))
                .containsExactly("placement j2#0: ends after its deadline (slot 10) (rule 8)");
    }

    @Test
    void migPlacementsAreChecked() {
        assertThat(validateWith(3, p -> with(p, "a1", List.of(0), 1, 0)))
                .anyMatch(e -> e.contains("migStart 1 is not a placement of 3g.40gb"));
        assertThat(validateWith(3, p -> with(p, "h1", List.of(0), 0, 0)))
                .anyMatch(e -> e.contains("MIG task on h1 which is not MIG-enabled (rule 4)"));
        List<Plan.Placement> twice = new ArrayList<>(VALID);
        twice.add(new Plan.Placement("j2", 0, "a1", List.of(0), null, 0));
        twice.remove(2);
        assertThat(PlanValidator.validate(problem, plan(twice, List.of(), List.of())))
                .anyMatch(e -> e.contains("SHARED task on MIG-enabled node a1 (rule 4)"));
    }

    @Test
    void movesKeepTheRules() {
        Plan clash = plan(VALID, List.of(new Plan.Move("run-1", 0, "h2", "h1", List.of(0, 1), null)), List.of());
        assertThat(PlanValidator.validate(problem, clash)).anyMatch(e -> e.contains("node h1 slot 0: GPU 0 is held"));
        Plan fine = plan(VALID, List.of(new Plan.Move("run-1", 0, "h2", "h2", List.of(6, 7), null)), List.of());
        assertThat(PlanValidator.validate(problem, fine)).isEmpty();
    }

    @Test
    void cpuOverCapacityBreaksRule3() {
        ObjectNode jobs = TestDocs.parse(TestDocs.JOBS);
        TestDocs.set(jobs, "jobs[2].cpuMillis", TestDocs.JSON.valueToTree(40000));
        Problem hungry = TestDocs.read(TestDocs.parse(TestDocs.CLUSTER), jobs, null);
        assertThat(PlanValidator.validate(hungry, plan(VALID, List.of(), List.of())))
                .contains("node a1 slot 0: CPU 40000 > 32000 millis (rule 3)");
    }

    @Test
    void runningWorkOnAnUnhealthyNodeMustMoveOrBeReported() {
        ObjectNode cluster = TestDocs.parse(TestDocs.CLUSTER);
        TestDocs.set(cluster, "nodes[1].healthy", TestDocs.JSON.valueToTree(false));
        Problem broken = TestDocs.read(cluster, TestDocs.parse(TestDocs.JOBS), null);
        assertThat(PlanValidator.validate(broken, plan(VALID, List.of(), List.of())))
                .containsExactly("running run-1#0: node h2 is unhealthy; the task must be moved or reported unplaced "
                        + "(rule 9)");
        assertThat(PlanValidator.validate(broken, plan(VALID, List.of(),
                List.of(new Plan.Unplaced("run-1", 0, "node h2 is unhealthy"))))).isEmpty();
        // ...and nothing new goes to it.
        assertThat(PlanValidator.validate(broken, plan(VALID.subList(0, 1), List.of(),
                List.of(new Plan.Unplaced("run-1", 0, "gone")))))
                .anyMatch(e -> e.contains("job j1: 1 of 2 tasks placed"));
    }
}
