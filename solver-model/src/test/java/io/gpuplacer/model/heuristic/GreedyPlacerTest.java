package io.gpuplacer.model.heuristic;

import io.gpuplacer.model.Scenario;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.problem.Node;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.gpuplacer.model.Scenario.job;
import static io.gpuplacer.model.Scenario.whole;
import static org.assertj.core.api.Assertions.assertThat;

/** On TestDocs.CLUSTER: h1 has 8 free H100s, h2 6 (run-1 holds two for slots 0-2), both in block b1. */
class GreedyPlacerTest {

    private static Scenario apply(Scenario s) {
        return apply(s, GreedyPlacer.Strategy.BEST_FIT);
    }

    private static Scenario apply(Scenario s, GreedyPlacer.Strategy strategy) {
        for (GreedyPlacer.Decision d : GreedyPlacer.place(s.solution, strategy)) {
            d.task().setNode(d.node());
            d.task().setStartSlot(d.start());
        }
        for (Node node : s.solution.getNodes()) {
            assertThat(s.layout(node.id()).isClean()).as("layout of " + node.id()).isTrue();
        }
        return s;
    }

    private static String nodeOf(Scenario s, String job, int task) {
        TaskAssignment t = s.task(job, task);
        return t.getNode() == null ? null : t.getNode().id();
    }

    @Test
    void higherPriorityGetsTheScarceGpus() {
        Scenario s = apply(Scenario.of(
                job("low", whole(8), 2, "\"priority\": 1, \"gpuModels\": [\"H100-80GB\"]"),
                job("high", whole(8), 2, "\"priority\": 50, \"gpuModels\": [\"H100-80GB\"]")));
        assertThat(nodeOf(s, "high", 0)).isEqualTo("h1");
        assertThat(nodeOf(s, "low", 0)).isNull();
    }

    @Test
    void workThatMustStartNowGoesBeforeWorkThatCanWait() {
        Scenario s = apply(Scenario.of(
                job("flex", whole(8), 2, "\"priority\": 100, \"deadline\": \"2026-11-22T12:00:00Z\""),
                job("rigid", whole(8), 2, "\"priority\": 1")));
        assertThat(nodeOf(s, "rigid", 0)).isEqualTo("h1");
        assertThat(s.task("rigid", 0).getStartSlot()).isZero();
        assertThat(nodeOf(s, "flex", 0)).isEqualTo("h1");
        assertThat(s.task("flex", 0).getStartSlot()).isEqualTo(2); // the earliest slot with eight free GPUs
    }

    @Test
    void gangsArePlacedWholeInsideTheirTopologyOrNotAtAll() {
        Scenario s = apply(Scenario.of(
                job("block16", whole(8), 2, "\"tasks\": 2, \"topology\": \"BLOCK\", \"priority\": 90"),
                job("rack8", whole(4), 2, "\"tasks\": 2, \"topology\": \"RACK\", \"priority\": 80"),
                job("node3", whole(2), 2, "\"tasks\": 3, \"topology\": \"NODE\", \"priority\": 70")));
        // 16 H100s in one block do not exist now (h2 has 6 free): the gang stays out whole.
        assertThat(Arrays.asList(nodeOf(s, "block16", 0), nodeOf(s, "block16", 1))).containsOnlyNulls();
        assertThat(nodeOf(s, "rack8", 0)).isEqualTo(nodeOf(s, "rack8", 1)).isEqualTo("h1");
        assertThat(nodeOf(s, "node3", 0)).isEqualTo(nodeOf(s, "node3", 1)).isEqualTo(nodeOf(s, "node3", 2))
                .isEqualTo("h2");
    }

    @Test
    void bestFitFillsTheFullestNodeFirst() {
        Scenario s = apply(Scenario.of(job("small", whole(2), 1, "\"gpuModels\": [\"H100-80GB\"]")));
        assertThat(nodeOf(s, "small", 0)).isEqualTo("h2"); // 6 free beats 8 free
    }

    @Test
    void firstFitTakesQueueOrderClusterOrderAndStartsNow() {
        Scenario s = apply(Scenario.of(
                job("low", whole(2), 2, "\"priority\": 1, \"gpuModels\": [\"H100-80GB\"]"),
                job("high", whole(8), 2, "\"priority\": 50, \"gpuModels\": [\"H100-80GB\"]"),
                job("later", whole(1), 2, "\"deadline\": \"2026-11-22T12:00:00Z\", \"gpuModels\": [\"H100-80GB\"]")),
                GreedyPlacer.Strategy.FIRST_FIT);
        assertThat(nodeOf(s, "low", 0)).isEqualTo("h1"); // the first node, not the fullest (h2)
        assertThat(nodeOf(s, "high", 0)).isNull(); // h1 now has 6 free, h2 6: 8 fit nowhere
        assertThat(nodeOf(s, "later", 0)).isEqualTo("h1");
        assertThat(s.task("later", 0).getStartSlot()).isZero();
    }
}
