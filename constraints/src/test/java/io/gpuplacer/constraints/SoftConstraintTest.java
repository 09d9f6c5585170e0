package io.gpuplacer.constraints;

import ai.timefold.solver.test.api.score.stream.ConstraintVerifier;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.model.Scenario;
import io.gpuplacer.model.TestDocs;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.problem.CostModel;
import io.gpuplacer.model.problem.GpuKind;
import io.gpuplacer.model.problem.WorkloadProfile;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.gpuplacer.model.Scenario.job;
import static io.gpuplacer.model.Scenario.shared;
import static io.gpuplacer.model.Scenario.whole;

/**
 * Soft constraints with penalties worked out by hand, on {@link TestDocs#CLUSTER}: h1 and h2 in DE (PUE 1.5,
 * 80 USD/MWh, 300 g/kWh until 02:00 then 100; base 1000 W, busy 600 W per GPU, 10 USD/h), a1 and t1 in FR
 * (no signals: 0), t1 SPOT with interruption 0.1/h.
 */
class SoftConstraintTest {

    /** Prices: market energy, node price, 100 USD/t, 4 USD per lost GPU-hour, 5 USD a move, 20 USD a block,
     * 0.5 USD per fragmented GPU-hour against a workload of half 8-GPU, half 500-milli tasks. */
    static final CostModel PRICES = new CostModel(1.0, 1.0, 100, 4, 5, 20, 0.5, 2, new WorkloadProfile(List.of(
            new WorkloadProfile.DemandClass(GpuKind.WHOLE, 8, 0.5),
            new WorkloadProfile.DemandClass(GpuKind.SHARED, 500, 0.5))));

    private final ConstraintVerifier<PlacementConstraintProvider, PlacementSolution> verifier =
            ConstraintVerifier.build(new PlacementConstraintProvider(), PlacementSolution.class, TaskAssignment.class);

    /**
     * Checks a cost term that can also reward (energy at negative prices, fragmentation below an empty node's).
     * Such a constraint impacts by minus the cost (a mixed-impact constraint), and for those the verifier reads
     * rewardsWith(x) as "the cost is x" and penalizesBy(x) as "the cost is -x" (it compares the negated sum of
     * match weights, resp. the plain sum).
     */
    private static void assertCost(ai.timefold.solver.test.api.score.stream.SingleConstraintAssertion assertion,
                                   long microUsd) {
        if (microUsd >= 0) {
            assertion.rewardsWith(microUsd);
        } else {
            assertion.penalizesBy(-microUsd);
        }
    }

    private static Object[] with(Scenario s, CostModel prices) {
        List<Object> facts = new ArrayList<>(s.solution.getTasks());
        facts.add(prices);
        return facts.toArray();
    }

    /** x: 2 whole GPUs at utilization 0.5 for 3 slots from slot 0; run-1 is taken off h2 to keep it simple. */
    private static Scenario oneJobOn(String node) {
        Scenario s = Scenario.of(job("x", whole(2), 3, "\"utilization\": 0.5"));
        return s.put("x", 0, node, 0).put("run-1", 0, null, 0);
    }

    @Test
    @Verifies(value = ConstraintIds.ENERGY_COST, penalised = true)
    void energyCostIsKWhTimesThePrice() {
        // (1000 W base + 600 W x 0.5 x 2 GPUs) x 1.5 PUE = 2.4 kWh per slot; 3 slots at 80 USD/MWh = 0.576 USD.
        assertCost(verifier.verifyThat(PlacementConstraintProvider::energyCost).given(with(oneJobOn("h1"), PRICES)),
                576_000);
    }

    @Test
    @Verifies(value = ConstraintIds.ENERGY_COST, penalised = false)
    void energyCostRewardsRunningAtANegativePrice() {
        // DE at -20 USD/MWh all day: 2.4 kWh x 3 slots x -20 = -0.144 USD, a reward.
        String signals = "{\"zones\": {\"DE\": {\"price\": [{\"at\": \"2026-11-22T00:00:00Z\", \"usdPerMWh\": -20}]}}}";
        Scenario s = Scenario.withSignals(TestDocs.CLUSTER, signals, job("x", whole(2), 3, "\"utilization\": 0.5"));
        s.put("x", 0, "h1", 0).put("run-1", 0, null, 0);
        assertCost(verifier.verifyThat(PlacementConstraintProvider::energyCost).given(with(s, PRICES)), -144_000);
    }

    @Test
    @Verifies(value = ConstraintIds.ENERGY_COST, penalised = true)
    void energyCostOnAnAlwaysOnNodeIsOnlyTheBusyDraw() {
        // h1 alwaysOn: its 1000 W base is spent anyway, so only 600 W x 0.5 x 2 GPUs x 1.5 = 0.9 kWh per slot
        // counts: 3 slots at 80 USD/MWh = 0.216 USD.
        ObjectNode cluster = TestDocs.parse(TestDocs.CLUSTER);
        TestDocs.set(cluster, "nodes[0].alwaysOn", TestDocs.JSON.valueToTree(true));
        Scenario s = Scenario.onCluster(cluster.toString(), job("x", whole(2), 3, "\"utilization\": 0.5"));
        s.put("x", 0, "h1", 0).put("run-1", 0, null, 0);
        assertCost(verifier.verifyThat(PlacementConstraintProvider::energyCost).given(with(s, PRICES)), 216_000);
    }

    @Test
    @Verifies(value = ConstraintIds.CARBON_COST, penalised = true)
    void carbonCostCountsTheHoursPastTheHorizonAtTheRepeatedLastDay() {
        // x from slot 23 for 3 slots: slot 23 at 100 g/kWh, slots 24 and 25 past the 24-hour horizon repeat hours
        // 0 and 1 at 300 g/kWh. 2.4 kWh x 700 g = 1680 g x 100 micro-USD (v1 counted slot 23 alone: 240 g).
        Scenario s = oneJobOn("h1").put("x", 0, "h1", 23);
        verifier.verifyThat(PlacementConstraintProvider::carbonCost).given(with(s, PRICES)).penalizesBy(168_000);
    }

    @Test
    @Verifies(value = ConstraintIds.NODE_COST, penalised = true)
    void nodeCostCountsTheHoursPastTheHorizon() {
        // h1 on in slot 23 and, past the horizon, 24 and 25: 3 h x 10 USD (v1: 10 USD).
        Scenario s = oneJobOn("h1").put("x", 0, "h1", 23);
        verifier.verifyThat(PlacementConstraintProvider::nodeCost).given(with(s, PRICES)).penalizesBy(30_000_000);
    }

    @Test
    @Verifies(value = ConstraintIds.PREEMPTION_RISK, penalised = true)
    void preemptionRiskCountsAGangOncePerSpotNode() {
        // Both tasks of gang g on t1: one reclaim restarts the gang once. 0.1/h x 2 slots x 20/60 h x gang share
        // 2 GPUs x 4 USD = 0.5333 USD (v1 counted it per task: twice that).
        Scenario s = Scenario.of(job("g", whole(1), 2, "\"tasks\": 2, \"checkpointMinutes\": 30, \"restartMinutes\": 5"));
        s.put("g", 0, "t1", 0).put("g", 1, "t1", 0);
        verifier.verifyThat(PlacementConstraintProvider::preemptionRisk).given(with(s, PRICES)).penalizesBy(533_333);
    }

    @Test
    @Verifies(value = ConstraintIds.ENERGY_COST, penalised = false)
    void energyCostIsZeroWherePowerIsFree() {
        assertCost(verifier.verifyThat(PlacementConstraintProvider::energyCost).given(with(oneJobOn("t1"), PRICES)), 0);
    }

    @Test
    @Verifies(value = ConstraintIds.NODE_COST, penalised = true)
    void nodeCostCountsTheHoursANodeIsOn() {
        // h1 on for slots 0-2 at 10 USD/h; h2 on for run-1's 3 slots.
        Scenario s = oneJobOn("h1").put("run-1", 0, "h2", 0);
        verifier.verifyThat(PlacementConstraintProvider::nodeCost).given(with(s, PRICES)).penalizesBy(60_000_000);
    }

    @Test
    @Verifies(value = ConstraintIds.NODE_COST, penalised = false)
    void nodeCostIsZeroOnAnAlwaysOnNode() {
        ObjectNode cluster = TestDocs.parse(TestDocs.CLUSTER);
        TestDocs.set(cluster, "nodes[0].alwaysOn", TestDocs.JSON.valueToTree(true));
        Scenario s = Scenario.onCluster(cluster.toString(), job("x", whole(2), 3, ""));
        s.put("x", 0, "h1", 0).put("run-1", 0, null, 0);
        verifier.verifyThat(PlacementConstraintProvider::nodeCost).given(with(s, PRICES)).penalizesBy(0);
    }

    @Test
    @Verifies(value = ConstraintIds.CARBON_COST, penalised = true)
    void carbonCostIsGramsTimesTheCarbonPrice() {
        // 2.4 kWh x (300 + 300 + 100) g/kWh = 1680 g; at 100 USD/t = 100 micro-USD per gram.
        verifier.verifyThat(PlacementConstraintProvider::carbonCost).given(with(oneJobOn("h1"), PRICES))
                .penalizesBy(168_000);
    }

    @Test
    @Verifies(value = ConstraintIds.CARBON_COST, penalised = false)
    void carbonCostIsZeroWithoutACarbonPrice() {
        CostModel noCarbonPrice = new CostModel(1, 1, 0, 4, 5, 20, 0.5, 2, PRICES.workload());
        verifier.verifyThat(PlacementConstraintProvider::carbonCost).given(with(oneJobOn("h1"), noCarbonPrice))
                .penalizesBy(0);
    }

    @Test
    @Verifies(value = ConstraintIds.CARBON_COST, penalised = false)
    void carbonCostIsZeroForWorkThatAddsNoDrawToAnAlwaysOnNode() {
        // h1 alwaysOn at 300 g/kWh and a carbon price of 100 USD/t: an idle-GPU task (utilization 0) keeps no node
        // on that would be off and draws no busy watts, so it causes no emissions. The same task at utilization
        // 0.5 causes 0.9 kWh x (300 + 300 + 100) g = 630 g.
        ObjectNode cluster = TestDocs.parse(TestDocs.CLUSTER);
        TestDocs.set(cluster, "nodes[0].alwaysOn", TestDocs.JSON.valueToTree(true));
        Scenario idle = Scenario.onCluster(cluster.toString(), job("x", whole(2), 3, "\"utilization\": 0"));
        idle.put("x", 0, "h1", 0).put("run-1", 0, null, 0);
        verifier.verifyThat(PlacementConstraintProvider::carbonCost).given(with(idle, PRICES)).penalizesBy(0);
        Scenario busy = Scenario.onCluster(cluster.toString(), job("x", whole(2), 3, "\"utilization\": 0.5"));
        busy.put("x", 0, "h1", 0).put("run-1", 0, null, 0);
        verifier.verifyThat(PlacementConstraintProvider::carbonCost).given(with(busy, PRICES)).penalizesBy(63_000);
    }

    private static Scenario spotJob(String node) {
        Scenario s = Scenario.of(job("y", whole(1), 2, "\"checkpointMinutes\": 30, \"restartMinutes\": 5"));
        return s.put("y", 0, node, 0);
    }

    @Test
    @Verifies(value = ConstraintIds.PREEMPTION_RISK, penalised = true)
    void preemptionRiskIsExpectedLostGpuHoursTimesTheirPrice() {
        // 0.1/h x 2 slots x (30/2 + 5)/60 h x 1 GPU x 4 USD = 0.2667 USD.
        verifier.verifyThat(PlacementConstraintProvider::preemptionRisk).given(with(spotJob("t1"), PRICES))
                .penalizesBy(266_667);
    }

    @Test
    @Verifies(value = ConstraintIds.PREEMPTION_RISK, penalised = false)
    void preemptionRiskIsZeroOnDemand() {
        verifier.verifyThat(PlacementConstraintProvider::preemptionRisk).given(with(spotJob("h1"), PRICES))
                .penalizesBy(0);
    }

    private static Scenario runOneOn(String node) {
        ObjectNode cluster = TestDocs.parse(TestDocs.CLUSTER);
        TestDocs.set(cluster, "running[0].checkpointMinutes", TestDocs.JSON.valueToTree(30));
        TestDocs.set(cluster, "running[0].restartMinutes", TestDocs.JSON.valueToTree(5));
        Scenario s = Scenario.onCluster(cluster.toString(), job("x", whole(1), 1, ""));
        return s.put("run-1", 0, node, 0);
    }

    @Test
    @Verifies(value = ConstraintIds.MOVE_COST, penalised = true)
    void moveCostIsTheGangRestartPlusTheFixedCost() {
        // (30/2 + 5)/60 h x 2 GPUs x 4 USD + 5 USD = 7.6667 USD.
        verifier.verifyThat(PlacementConstraintProvider::moveCost).given(with(runOneOn("h1"), PRICES))
                .penalizesBy(7_666_667);
    }

    @Test
    @Verifies(value = ConstraintIds.MOVE_COST, penalised = false)
    void moveCostIsZeroWhenWorkStays() {
        verifier.verifyThat(PlacementConstraintProvider::moveCost).given(with(runOneOn("h2"), PRICES))
                .penalizesBy(0);
    }

    @Test
    @Verifies(value = ConstraintIds.GANG_BLOCK_SPREAD, penalised = true)
    void gangBlockSpreadCostsEachExtraBlock() {
        Scenario s = Scenario.of(job("g", whole(1), 1, "\"tasks\": 2"));
        s.put("g", 0, "h1", 0).put("g", 1, "t1", 0); // blocks b1 and b2
        verifier.verifyThat(PlacementConstraintProvider::gangBlockSpread).given(with(s, PRICES))
                .penalizesBy(20_000_000);
    }

    @Test
    @Verifies(value = ConstraintIds.GANG_BLOCK_SPREAD, penalised = false)
    void gangBlockSpreadIsZeroInsideOneBlock() {
        Scenario s = Scenario.of(job("g", whole(1), 1, "\"tasks\": 2"));
        s.put("g", 0, "h1", 0).put("g", 1, "h2", 0);
        verifier.verifyThat(PlacementConstraintProvider::gangBlockSpread).given(with(s, PRICES)).penalizesBy(0);
    }

    @Test
    @Verifies(value = ConstraintIds.GPU_FRAGMENTATION, penalised = true)
    void fragmentationCostsCapacityTheWorkloadCannotUse() {
        // A 300-milli task on an empty 8-GPU node: 7 whole GPUs left, so an 8-GPU task cannot use any of the
        // 7700 free milli (x 0.5); a 500-milli task can (700 >= 500). Empty, the node fragments nothing.
        // 3850 milli-GPU for 1 slot = 3.85 GPU-hours x 0.5 USD.
        Scenario s = Scenario.of(job("s", shared(300), 1, "")).put("run-1", 0, null, 0);
        s.put("s", 0, "h1", 0);
        assertCost(verifier.verifyThat(PlacementConstraintProvider::gpuFragmentation).given(with(s, PRICES)),
                1_925_000);
    }

    @Test
    @Verifies(value = ConstraintIds.GPU_FRAGMENTATION, penalised = false)
    void fragmentationRewardsUsingANodeBigTasksCannotUseAnyway() {
        // t1 has 2 GPUs: useless to an 8-GPU task whether empty (2000 x 0.5) or not (1700 x 0.5): -150 milli-GPU.
        Scenario s = Scenario.of(job("s", shared(300), 1, "")).put("run-1", 0, null, 0);
        s.put("s", 0, "t1", 0);
        assertCost(verifier.verifyThat(PlacementConstraintProvider::gpuFragmentation).given(with(s, PRICES)),
                -75_000);
    }

    /** Prices as above, fragmentation measured against one class of tasks with the given ratio and pressure. */
    private static CostModel pricesFor(WorkloadProfile.DemandClass only, double gpuMilliPerCpuMilli,
                                       java.util.Map<String, Double> pressure) {
        return new CostModel(1.0, 1.0, 100, 4, 5, 20, 0.5, 2,
                new WorkloadProfile(List.of(only), gpuMilliPerCpuMilli, pressure));
    }

    private static final WorkloadProfile.DemandClass ONE_GPU = new WorkloadProfile.DemandClass(GpuKind.WHOLE, 1, 1.0);
    private static final WorkloadProfile.DemandClass HALF_GPU =
            new WorkloadProfile.DemandClass(GpuKind.SHARED, 500, 1.0);

    @Test
    @Verifies(value = ConstraintIds.GPU_FRAGMENTATION, penalised = true)
    void fragmentationCountsGpuCapacityTheFreeCpuCannotFeed() {
        // A CPU-only task of 60 cores on h1 (64 cores, 8 GPUs) leaves 4 cores: at 1 GPU per 8 cores they feed 500
        // milli, so 7500 of the 8000 free milli are stranded for 1 slot: 7.5 GPU-hours x 0.5 USD. FGD's measure
        // alone sees nothing (a 1-GPU task needs no CPU in this class and 8 whole GPUs are free).
        Scenario s = Scenario.of(job("c", "{\"kind\": \"NONE\"}", 1, "\"cpuMillis\": 60000"))
                .put("run-1", 0, null, 0);
        s.put("c", 0, "h1", 0);
        assertCost(verifier.verifyThat(PlacementConstraintProvider::gpuFragmentation)
                .given(with(s, pricesFor(ONE_GPU, 0.125, java.util.Map.of()))), 3_750_000);
        assertCost(verifier.verifyThat(PlacementConstraintProvider::gpuFragmentation)
                .given(with(s, pricesFor(ONE_GPU, 0.0, java.util.Map.of()))), 0);
    }

    @Test
    @Verifies(value = ConstraintIds.GPU_FRAGMENTATION, penalised = true)
    void fragmentationPricesCapacityInUseOnAContestedModel() {
        // 300 milli in use on an H100 whose pressure is 1.5: (1.5 - 1) x 300 milli for 1 slot x 0.5 USD. Against
        // 500-milli tasks FGD's measure alone sees nothing (every GPU keeps at least 700 free).
        Scenario s = Scenario.of(job("s", shared(300), 1, "")).put("run-1", 0, null, 0);
        s.put("s", 0, "h1", 0);
        assertCost(verifier.verifyThat(PlacementConstraintProvider::gpuFragmentation)
                .given(with(s, pricesFor(HALF_GPU, 0.0, java.util.Map.of("H100-80GB", 1.5)))), 75_000);
        assertCost(verifier.verifyThat(PlacementConstraintProvider::gpuFragmentation)
                .given(with(s, pricesFor(HALF_GPU, 0.0, java.util.Map.of()))), 0);
    }

    @Test
    @Verifies(value = ConstraintIds.GPU_FRAGMENTATION, penalised = false)
    void fragmentationRewardsUsingAModelTheWorkloadNeedsLess() {
        // The same 300 milli on a T4 at pressure 0.5: (0.5 - 1) x 300 milli x 0.5 USD, a reward.
        Scenario s = Scenario.of(job("s", shared(300), 1, "")).put("run-1", 0, null, 0);
        s.put("s", 0, "t1", 0);
        assertCost(verifier.verifyThat(PlacementConstraintProvider::gpuFragmentation)
                .given(with(s, pricesFor(HALF_GPU, 0.0, java.util.Map.of("T4", 0.5)))), -75_000);
    }
}
