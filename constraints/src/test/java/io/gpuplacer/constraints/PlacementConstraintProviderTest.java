package io.gpuplacer.constraints;

import ai.timefold.solver.test.api.score.stream.ConstraintVerifier;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.model.Scenario;
import io.gpuplacer.model.TestDocs;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.TaskAssignment;
import org.junit.jupiter.api.Test;

import static io.gpuplacer.model.Scenario.job;
import static io.gpuplacer.model.Scenario.mig;
import static io.gpuplacer.model.Scenario.shared;
import static io.gpuplacer.model.Scenario.whole;

/**
 * One penalised and one unpenalised case per constraint, on {@link TestDocs#CLUSTER}: h1 (H100 x8, islands 0-3
 * and 4-7, rack r1, block b1), h2 (H100 x8, r2, b1, run-1 on GPUs 0-1 for 3 slots), a1 (A100-80GB x2 MIG, r3,
 * b2), t1 (T4 x2 SPOT, r3, b2). {@link ConstraintCoverageTest} checks that every constraint has both.
 */
class PlacementConstraintProviderTest {

    private final ConstraintVerifier<PlacementConstraintProvider, PlacementSolution> verifier =
            ConstraintVerifier.build(new PlacementConstraintProvider(), PlacementSolution.class, TaskAssignment.class);

    private static Object[] all(Scenario s) {
        return s.solution.getTasks().toArray();
    }

    /** The cluster with h2 cordoned and t1 unhealthy. */
    private static String degradedCluster() {
        ObjectNode cluster = TestDocs.parse(TestDocs.CLUSTER);
        TestDocs.set(cluster, "nodes[1].schedulable", TestDocs.JSON.valueToTree(false));
        TestDocs.set(cluster, "nodes[3].healthy", TestDocs.JSON.valueToTree(false));
        return cluster.toString();
    }

    @Test
    @Verifies(value = ConstraintIds.NODE_AVAILABLE, penalised = true)
    void nodeAvailablePenalisesNewWorkOnCordonedOrDeadNodes() {
        Scenario s = Scenario.onCluster(degradedCluster(), job("x", whole(1), 1, ""), job("y", shared(100), 1, ""));
        s.put("x", 0, "h2", 0).put("y", 0, "t1", 0);
        verifier.verifyThat(PlacementConstraintProvider::nodeAvailable).given(all(s)).penalizesBy(2);
    }

    @Test
    @Verifies(value = ConstraintIds.NODE_AVAILABLE, penalised = false)
    void nodeAvailableLetsRunningWorkStayOnACordonedNode() {
        Scenario s = Scenario.onCluster(degradedCluster(), job("x", whole(1), 1, ""));
        s.put("x", 0, "h1", 0); // run-1 stays on cordoned h2
        verifier.verifyThat(PlacementConstraintProvider::nodeAvailable).given(all(s)).penalizesBy(0);
    }

    @Test
    @Verifies(value = ConstraintIds.GPU_MODEL, penalised = true)
    void gpuModelPenalisesAnotherModel() {
        Scenario s = Scenario.of(job("x", whole(1), 1, "\"gpuModels\": [\"T4\"]"));
        s.put("x", 0, "h1", 0);
        verifier.verifyThat(PlacementConstraintProvider::gpuModel).given(all(s)).penalizesBy(1);
    }

    @Test
    @Verifies(value = ConstraintIds.GPU_MODEL, penalised = false)
    void gpuModelAcceptsAnAllowedModel() {
        Scenario s = Scenario.of(job("x", whole(1), 1, "\"gpuModels\": [\"T4\"]"), job("any", whole(1), 1, ""));
        s.put("x", 0, "t1", 0).put("any", 0, "h1", 0);
        verifier.verifyThat(PlacementConstraintProvider::gpuModel).given(all(s)).penalizesBy(0);
    }

    private static Scenario hungry(int secondStart) {
        Scenario s = Scenario.of(job("a", whole(1), 3, "\"cpuMillis\": 40000, \"memoryMiB\": 300000"),
                job("b", whole(1), 3, "\"cpuMillis\": 40000, \"memoryMiB\": 300000, "
                        + "\"deadline\": \"2026-11-22T12:00:00Z\""));
        return s.put("a", 0, "h1", 0).put("b", 0, "h1", secondStart);
    }

    @Test
    @Verifies(value = ConstraintIds.CPU_CAPACITY, penalised = true)
    void cpuCapacityPenalisesMillisOverPerSlot() {
        // Both need 40000 of 64000 millis; they overlap in slot 2 only.
        verifier.verifyThat(PlacementConstraintProvider::cpuCapacity).given(all(hungry(2))).penalizesBy(16000);
    }

    @Test
    @Verifies(value = ConstraintIds.CPU_CAPACITY, penalised = false)
    void cpuCapacityAcceptsWorkInTurn() {
        verifier.verifyThat(PlacementConstraintProvider::cpuCapacity).given(all(hungry(3))).penalizesBy(0);
    }

    @Test
    @Verifies(value = ConstraintIds.MEMORY_CAPACITY, penalised = true)
    void memoryCapacityPenalisesMiBOverPerSlot() {
        verifier.verifyThat(PlacementConstraintProvider::memoryCapacity).given(all(hungry(1)))
                .penalizesBy(2L * (600000 - 524288));
    }

    @Test
    @Verifies(value = ConstraintIds.MEMORY_CAPACITY, penalised = false)
    void memoryCapacityAcceptsWorkInTurn() {
        verifier.verifyThat(PlacementConstraintProvider::memoryCapacity).given(all(hungry(4))).penalizesBy(0);
    }

    private static Scenario twoFullNodes(int secondStart) {
        Scenario s = Scenario.of(job("a", whole(8), 2, ""),
                job("b", whole(8), 2, "\"deadline\": \"2026-11-22T12:00:00Z\""));
        return s.put("a", 0, "h1", 0).put("b", 0, "h1", secondStart);
    }

    @Test
    @Verifies(value = ConstraintIds.GPU_EXCLUSIVE, penalised = true)
    void gpuExclusivePenalisesMilliGpuSlotsShort() {
        verifier.verifyThat(PlacementConstraintProvider::gpuExclusive).given(all(twoFullNodes(1)))
                .penalizesBy(8 * 1000L * 2);
    }

    @Test
    @Verifies(value = ConstraintIds.GPU_EXCLUSIVE, penalised = false)
    void gpuExclusiveAcceptsGpusUsedInTurn() {
        verifier.verifyThat(PlacementConstraintProvider::gpuExclusive).given(all(twoFullNodes(2))).penalizesBy(0);
    }

    @Test
    @Verifies(value = ConstraintIds.GPU_SHARING, penalised = true)
    void gpuSharingPenalisesMilliOverAGpu() {
        Scenario s = Scenario.of(job("a", shared(600), 1, ""), job("b", shared(600), 1, ""), job("c", shared(600), 1, ""));
        s.put("a", 0, "t1", 0).put("b", 0, "t1", 0).put("c", 0, "t1", 0);
        verifier.verifyThat(PlacementConstraintProvider::gpuSharing).given(all(s)).penalizesBy(600);
    }

    @Test
    @Verifies(value = ConstraintIds.GPU_SHARING, penalised = false)
    void gpuSharingAcceptsWhatFits() {
        Scenario s = Scenario.of(job("a", shared(600), 1, ""), job("b", shared(600), 1, ""), job("c", shared(400), 1, ""));
        s.put("a", 0, "t1", 0).put("b", 0, "t1", 0).put("c", 0, "t1", 0);
        verifier.verifyThat(PlacementConstraintProvider::gpuSharing).given(all(s)).penalizesBy(0);
    }

    private static Scenario migFleet(boolean withFourG) {
        Scenario s = Scenario.of(job("m1", mig("3g.40gb"), 2, ""), job("m2", mig("3g.40gb"), 2, ""),
                job("m3", mig("3g.40gb"), 2, ""), job("m4", mig("1g.10gb"), 2, ""), job("m5", mig("4g.40gb"), 2, ""));
        s.put("m1", 0, "a1", 0).put("m2", 0, "a1", 0).put("m3", 0, "a1", 0).put("m4", 0, "a1", 0);
        return withFourG ? s.put("m5", 0, "a1", 0) : s;
    }

    @Test
    @Verifies(value = ConstraintIds.MIG_GEOMETRY, penalised = true)
    void migGeometryPenalisesComputeSliceSlotsWithoutPlacement() {
        // 17 memory slices asked of 16: the 1g instance finds no placement for its 2 slots.
        verifier.verifyThat(PlacementConstraintProvider::migGeometry).given(all(migFleet(true))).penalizesBy(2);
    }

    @Test
    @Verifies(value = ConstraintIds.MIG_GEOMETRY, penalised = false)
    void migGeometryAcceptsValidInstances() {
        verifier.verifyThat(PlacementConstraintProvider::migGeometry).given(all(migFleet(false))).penalizesBy(0);
    }

    @Test
    @Verifies(value = ConstraintIds.MIG_NODE_KIND, penalised = true)
    void migNodeKindPenalisesMixing() {
        Scenario s = Scenario.of(job("w", whole(1), 1, ""), job("m", mig("1g.10gb"), 1, ""));
        s.put("w", 0, "a1", 0).put("m", 0, "h1", 0);
        verifier.verifyThat(PlacementConstraintProvider::migNodeKind).given(all(s)).penalizesBy(2);
    }

    @Test
    @Verifies(value = ConstraintIds.MIG_NODE_KIND, penalised = false)
    void migNodeKindLetsCpuOnlyWorkOnMigNodes() {
        Scenario s = Scenario.of(job("c", "{\"kind\": \"NONE\"}", 1, ""), job("m", mig("1g.10gb"), 1, ""));
        s.put("c", 0, "a1", 0).put("m", 0, "a1", 0);
        verifier.verifyThat(PlacementConstraintProvider::migNodeKind).given(all(s)).penalizesBy(0);
    }

    @Test
    @Verifies(value = ConstraintIds.SPOT_PREEMPTIBLE, penalised = true)
    void spotPreemptiblePenalisesProtectedWorkOnSpot() {
        Scenario s = Scenario.of(job("x", whole(1), 1, "\"preemptible\": false"));
        s.put("x", 0, "t1", 0);
        verifier.verifyThat(PlacementConstraintProvider::spotPreemptible).given(all(s)).penalizesBy(1);
    }

    @Test
    @Verifies(value = ConstraintIds.SPOT_PREEMPTIBLE, penalised = false)
    void spotPreemptibleAcceptsPreemptibleWork() {
        Scenario s = Scenario.of(job("x", whole(1), 1, "\"preemptible\": true"),
                job("y", whole(1), 1, "\"preemptible\": false"));
        s.put("x", 0, "t1", 0).put("y", 0, "h1", 0);
        verifier.verifyThat(PlacementConstraintProvider::spotPreemptible).given(all(s)).penalizesBy(0);
    }

    @Test
    @Verifies(value = ConstraintIds.GANG_ALL_OR_NOTHING, penalised = true)
    void gangAllOrNothingPenalisesTheTasksLeftOut() {
        Scenario s = Scenario.of(job("g", whole(1), 1, "\"tasks\": 3"));
        s.put("g", 0, "h1", 0);
        verifier.verifyThat(PlacementConstraintProvider::gangAllOrNothing).given(all(s)).penalizesBy(2);
    }

    @Test
    @Verifies(value = ConstraintIds.GANG_ALL_OR_NOTHING, penalised = false)
    void gangAllOrNothingAcceptsWholeOrNone() {
        Scenario s = Scenario.of(job("g", whole(1), 1, "\"tasks\": 3"), job("none", whole(1), 1, "\"tasks\": 2"));
        s.put("g", 0, "h1", 0).put("g", 1, "h1", 0).put("g", 2, "h2", 0);
        verifier.verifyThat(PlacementConstraintProvider::gangAllOrNothing).given(all(s)).penalizesBy(0);
    }

    @Test
    @Verifies(value = ConstraintIds.GANG_SAME_START, penalised = true)
    void gangSameStartPenalisesTheSpreadOfStarts() {
        Scenario s = Scenario.of(job("g", whole(1), 1, "\"tasks\": 2, \"deadline\": \"2026-11-22T12:00:00Z\""));
        s.put("g", 0, "h1", 0).put("g", 1, "h1", 3);
        verifier.verifyThat(PlacementConstraintProvider::gangSameStart).given(all(s)).penalizesBy(3);
    }

    @Test
    @Verifies(value = ConstraintIds.GANG_SAME_START, penalised = false)
    void gangSameStartAcceptsOneStart() {
        Scenario s = Scenario.of(job("g", whole(1), 1, "\"tasks\": 2, \"deadline\": \"2026-11-22T12:00:00Z\""));
        s.put("g", 0, "h1", 4).put("g", 1, "h2", 4);
        verifier.verifyThat(PlacementConstraintProvider::gangSameStart).given(all(s)).penalizesBy(0);
    }

    @Test
    @Verifies(value = ConstraintIds.TOPOLOGY_NODE, penalised = true)
    void topologyNodePenalisesExtraNodes() {
        Scenario s = Scenario.of(job("g", whole(1), 1, "\"tasks\": 3, \"topology\": \"NODE\""));
        s.put("g", 0, "h1", 0).put("g", 1, "h1", 0).put("g", 2, "h2", 0);
        verifier.verifyThat(PlacementConstraintProvider::topologyNode).given(all(s)).penalizesBy(1);
    }

    @Test
    @Verifies(value = ConstraintIds.TOPOLOGY_NODE, penalised = false)
    void topologyNodeAcceptsOneNode() {
        Scenario s = Scenario.of(job("g", whole(1), 1, "\"tasks\": 3, \"topology\": \"NODE\""),
                job("free", whole(1), 1, "\"tasks\": 2"));
        s.put("g", 0, "h1", 0).put("g", 1, "h1", 0).put("g", 2, "h1", 0).put("free", 0, "h1", 0)
                .put("free", 1, "h2", 0);
        verifier.verifyThat(PlacementConstraintProvider::topologyNode).given(all(s)).penalizesBy(0);
    }

    private static Scenario islands(boolean crowded) {
        Scenario s = Scenario.of(job("left", whole(3), 2, ""), job("right", whole(3), 2, ""),
                job("gang", whole(1), 2, "\"tasks\": 2, \"topology\": \"ISLAND\""));
        s.put("left", 0, "h1", 0).put("gang", 0, "h1", 0).put("gang", 1, "h1", 0);
        return crowded ? s.put("right", 0, "h1", 0) : s;
    }

    @Test
    @Verifies(value = ConstraintIds.TOPOLOGY_ISLAND, penalised = true)
    void topologyIslandPenalisesGangsCrossingIslands() {
        // left takes 0-2, right 4-6: one free GPU per island, the gang needs two in one.
        verifier.verifyThat(PlacementConstraintProvider::topologyIsland).given(all(islands(true))).penalizesBy(2000);
    }

    @Test
    @Verifies(value = ConstraintIds.TOPOLOGY_ISLAND, penalised = false)
    void topologyIslandAcceptsAGangInOneIsland() {
        verifier.verifyThat(PlacementConstraintProvider::topologyIsland).given(all(islands(false))).penalizesBy(0);
    }

    @Test
    @Verifies(value = ConstraintIds.TOPOLOGY_RACK, penalised = true)
    void topologyRackPenalisesExtraRacks() {
        Scenario s = Scenario.of(job("g", whole(1), 1, "\"tasks\": 2, \"topology\": \"RACK\""));
        s.put("g", 0, "h1", 0).put("g", 1, "h2", 0);
        verifier.verifyThat(PlacementConstraintProvider::topologyRack).given(all(s)).penalizesBy(1);
    }

    @Test
    @Verifies(value = ConstraintIds.TOPOLOGY_RACK, penalised = false)
    void topologyRackAcceptsOneRack() {
        Scenario s = Scenario.of(job("g", whole(1), 1, "\"tasks\": 2, \"topology\": \"RACK\", \"preemptible\": true"));
        s.put("g", 0, "a1", 0).put("g", 1, "t1", 0); // both in r3 (the MIG mismatch is another rule's)
        verifier.verifyThat(PlacementConstraintProvider::topologyRack).given(all(s)).penalizesBy(0);
    }

    @Test
    @Verifies(value = ConstraintIds.TOPOLOGY_BLOCK, penalised = true)
    void topologyBlockPenalisesExtraBlocks() {
        Scenario s = Scenario.of(job("g", whole(1), 1, "\"tasks\": 2, \"topology\": \"BLOCK\""));
        s.put("g", 0, "h1", 0).put("g", 1, "t1", 0);
        verifier.verifyThat(PlacementConstraintProvider::topologyBlock).given(all(s)).penalizesBy(1);
    }

    @Test
    @Verifies(value = ConstraintIds.TOPOLOGY_BLOCK, penalised = false)
    void topologyBlockAcceptsOneBlockOverTwoRacks() {
        Scenario s = Scenario.of(job("g", whole(1), 1, "\"tasks\": 2, \"topology\": \"BLOCK\""));
        s.put("g", 0, "h1", 0).put("g", 1, "h2", 0);
        verifier.verifyThat(PlacementConstraintProvider::topologyBlock).given(all(s)).penalizesBy(0);
    }

    @Test
    @Verifies(value = ConstraintIds.TIME_WINDOW, penalised = true)
    void timeWindowPenalisesSlotsOutsideTheWindow() {
        Scenario s = Scenario.of(job("now", whole(1), 1, ""),
                job("later", whole(1), 2, "\"earliestStart\": \"2026-11-22T03:00:00Z\", "
                        + "\"deadline\": \"2026-11-22T10:00:00Z\""));
        s.put("now", 0, "h1", 2).put("later", 0, "h1", 1); // 2 slots late; 2 slots early
        verifier.verifyThat(PlacementConstraintProvider::timeWindow).given(all(s)).penalizesBy(4);
    }

    @Test
    @Verifies(value = ConstraintIds.TIME_WINDOW, penalised = false)
    void timeWindowAcceptsEveryStartInTheWindow() {
        Scenario s = Scenario.of(job("now", whole(1), 1, ""),
                job("later", whole(1), 2, "\"earliestStart\": \"2026-11-22T03:00:00Z\", "
                        + "\"deadline\": \"2026-11-22T10:00:00Z\""));
        s.put("now", 0, "h1", 0).put("later", 0, "h1", 8); // 8 + 2 slots = the deadline slot
        verifier.verifyThat(PlacementConstraintProvider::timeWindow).given(all(s)).penalizesBy(0);
    }

    @Test
    @Verifies(value = ConstraintIds.RUNNING_TASK_KEPT, penalised = true)
    void runningTaskKeptPenalisesDroppingOrMovingPinnedWork() {
        Scenario dropped = Scenario.of(job("x", whole(1), 1, ""));
        dropped.put("run-1", 0, null, 0);
        verifier.verifyThat(PlacementConstraintProvider::runningTaskKept).given(all(dropped)).penalizesBy(1);

        ObjectNode cluster = TestDocs.parse(TestDocs.CLUSTER);
        TestDocs.set(cluster, "running[0].migratable", TestDocs.JSON.valueToTree(false));
        Scenario moved = Scenario.onCluster(cluster.toString(), job("x", whole(1), 1, ""));
        moved.put("run-1", 0, "h1", 0);
        verifier.verifyThat(PlacementConstraintProvider::runningTaskKept).given(all(moved)).penalizesBy(1);
    }

    @Test
    @Verifies(value = ConstraintIds.RUNNING_TASK_KEPT, penalised = false)
    void runningTaskKeptLetsMigratableWorkMove() {
        Scenario s = Scenario.of(job("x", whole(1), 1, ""));
        s.put("run-1", 0, "h1", 0);
        verifier.verifyThat(PlacementConstraintProvider::runningTaskKept).given(all(s)).penalizesBy(0);
    }

    @Test
    @Verifies(value = ConstraintIds.UNPLACED_WORK, penalised = true)
    void unplacedWorkCostsPriorityTimesShare() {
        Scenario s = Scenario.of(job("gpu", whole(2), 1, ""), job("cpu", "{\"kind\": \"NONE\"}", 1,
                "\"cpuMillis\": 16000"), job("half", shared(500), 1, ""));
        s.put("half", 0, "t1", 0);
        // priority 10 x 2000 milli-GPU + priority 10 x 16000/32 (cpuMillis/32000 in thousandths)
        verifier.verifyThat(PlacementConstraintProvider::unplacedWork).given(all(s)).penalizesBy(20000 + 5000);
    }

    @Test
    @Verifies(value = ConstraintIds.UNPLACED_WORK, penalised = false)
    void unplacedWorkIsZeroWhenAllIsPlaced() {
        Scenario s = Scenario.of(job("gpu", whole(2), 1, ""));
        s.put("gpu", 0, "h1", 0);
        verifier.verifyThat(PlacementConstraintProvider::unplacedWork).given(all(s)).penalizesBy(0);
    }
}
