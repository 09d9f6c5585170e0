package io.gpuplacer.model.layout;

import io.gpuplacer.model.Scenario;
import org.junit.jupiter.api.Test;

import static io.gpuplacer.model.Scenario.job;
import static io.gpuplacer.model.Scenario.mig;
import static io.gpuplacer.model.Scenario.shared;
import static io.gpuplacer.model.Scenario.whole;
import static org.assertj.core.api.Assertions.assertThat;

class NodeLayoutTest {

    @Test
    void wholeGpusGoToTheFullestIslandThatHoldsThemBiggestFirst() {
        Scenario s = Scenario.of(job("two", whole(2), 3, ""), job("four", whole(4), 3, ""),
                job("two-b", whole(2), 3, ""), job("one", whole(1), 3, ""));
        s.put("two", 0, "h1", 0).put("four", 0, "h1", 0).put("two-b", 0, "h1", 0);
        assertThat(s.layout("h1").isClean()).isTrue();
        assertThat(s.gpusOf("four", 0)).containsExactly(0, 1, 2, 3);
        assertThat(s.gpusOf("two", 0)).containsExactly(4, 5);
        assertThat(s.gpusOf("two-b", 0)).containsExactly(6, 7);

        s.put("one", 0, "h1", 1); // no GPU left in slots 1 and 2
        NodeLayout layout = s.layout("h1");
        assertThat(layout.wholeShort()).isEqualTo(1000L * 3);
        assertThat(layout.laidOut(layout.tasks().indexOf(s.task("one", 0)))).isFalse();
    }

    @Test
    void aGpuHeldForALaterStartIsUsedUpToThatStartSoLongTasksStillFit() {
        // t1 has 2 GPUs. f holds GPU 1 from slot 4 (a committed future start). a [0,2), b [0,6) and c [2,4) need
        // one GPU each and fit: b on GPU 0, a then c on GPU 1 before f. Taking GPU 0 for a (the first free one)
        // leaves b nowhere, though two GPUs suffice in every slot.
        Scenario s = Scenario.of(job("a", whole(1), 2, ""), job("b", whole(1), 6, ""), job("c", whole(1), 2, ""),
                job("f", whole(1), 2, ""));
        s.put("a", 0, "t1", 0).put("b", 0, "t1", 0).put("c", 0, "t1", 2).put("f", 0, "t1", 4);
        s.task("f", 0).holdDevices(s.problem.node("t1"), new int[]{1}, null);
        assertThat(s.layout("t1").isClean()).isTrue();
        assertThat(s.gpusOf("b", 0)).containsExactly(0);
        assertThat(s.gpusOf("a", 0)).containsExactly(1);
        assertThat(s.gpusOf("c", 0)).containsExactly(1);
        assertThat(s.gpusOf("f", 0)).containsExactly(1);
    }

    @Test
    void anIslandGangsSizeIsNotImposedOnLaterJobsOfTheNode() {
        // h1: islands 0-3 and 4-7. The ISLAND job i takes GPU 0; then n, an ANY job of two 2-GPU tasks, packs best
        // fit: the fullest island that holds 2 GPUs is 0-3 (3 free), so GPUs 1 and 2, and its second task 4 and 5.
        // Held to an island holding all 4 of its GPUs (the ISLAND rule, leaking from i), n would take 4-7 and
        // strand GPUs 1-3.
        Scenario s = Scenario.of(job("i", whole(1), 3, "\"topology\": \"ISLAND\""),
                job("n", whole(2), 3, "\"tasks\": 2"));
        s.put("i", 0, "h1", 0).put("n", 0, "h1", 1).put("n", 1, "h1", 1).put("run-1", 0, null, 0);
        assertThat(s.layout("h1").isClean()).isTrue();
        assertThat(s.gpusOf("i", 0)).containsExactly(0);
        assertThat(s.gpusOf("n", 0)).containsExactly(1, 2);
        assertThat(s.gpusOf("n", 1)).containsExactly(4, 5);
    }

    @Test
    void tasksInDisjointSlotsReuseTheSameGpus() {
        Scenario s = Scenario.of(job("first", whole(8), 2, ""), job("second", whole(8), 2, ""));
        s.put("first", 0, "h1", 0).put("second", 0, "h1", 2);
        assertThat(s.layout("h1").isClean()).isTrue();
        assertThat(s.gpusOf("second", 0)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);

        s.put("second", 0, "h1", 1); // overlaps slot 1: eight GPUs short for its 2 slots
        assertThat(s.layout("h1").wholeShort()).isEqualTo(8 * 1000L * 2);
    }

    @Test
    void sharedTasksFillTheFullestGpuWithRoom() {
        Scenario s = Scenario.of(job("a", shared(600), 1, ""), job("b", shared(600), 1, ""),
                job("c", shared(300), 1, ""), job("d", shared(500), 1, ""));
        s.put("a", 0, "t1", 0).put("b", 0, "t1", 0).put("c", 0, "t1", 0);
        assertThat(s.layout("t1").isClean()).isTrue();
        assertThat(s.gpusOf("a", 0)).containsExactly(0);
        assertThat(s.gpusOf("b", 0)).containsExactly(1);
        assertThat(s.gpusOf("c", 0)).containsExactly(0);

        s.put("d", 0, "t1", 0); // 100 and 400 milli left: no GPU holds 500
        assertThat(s.layout("t1").sharedShort()).isEqualTo(500);
    }

    @Test
    void sharedAndWholeNeverMeetOnOneGpu() {
        Scenario s = Scenario.of(job("w", whole(1), 1, ""), job("s1", shared(100), 1, ""),
                job("s2", shared(100), 1, ""));
        s.put("w", 0, "t1", 0).put("s1", 0, "t1", 0).put("s2", 0, "t1", 0);
        assertThat(s.layout("t1").isClean()).isTrue();
        assertThat(s.gpusOf("w", 0)).containsExactly(0);
        assertThat(s.gpusOf("s1", 0)).containsExactly(1);
        assertThat(s.gpusOf("s2", 0)).containsExactly(1);
    }

    @Test
    void migInstancesKeepTheProfileGeometry() {
        Scenario s = Scenario.of(job("m1", mig("3g.40gb"), 2, ""), job("m2", mig("3g.40gb"), 2, ""),
                job("m3", mig("3g.40gb"), 2, ""), job("m4", mig("1g.10gb"), 2, ""), job("m5", mig("4g.40gb"), 2, ""));
        s.put("m1", 0, "a1", 0).put("m2", 0, "a1", 0).put("m3", 0, "a1", 0).put("m4", 0, "a1", 0);
        assertThat(s.layout("a1").isClean()).isTrue();
        assertThat(s.gpusOf("m1", 0)).containsExactly(0);
        assertThat(s.migStartOf("m1", 0)).isEqualTo(0);
        assertThat(s.gpusOf("m2", 0)).containsExactly(0);
        assertThat(s.migStartOf("m2", 0)).isEqualTo(4);
        assertThat(s.gpusOf("m3", 0)).containsExactly(1);
        assertThat(s.migStartOf("m3", 0)).isEqualTo(0);
        // GPU 0 has 6 of 7 compute slices used but no free memory slice; GPU 1 has slices 4..7 free.
        assertThat(s.gpusOf("m4", 0)).containsExactly(1);
        assertThat(s.migStartOf("m4", 0)).isEqualTo(4);

        // With a 4g instance too, 17 memory slices are asked of 16: the biggest go first, the 1g is left out.
        s.put("m5", 0, "a1", 0);
        NodeLayout layout = s.layout("a1");
        assertThat(layout.migShort()).isEqualTo(1L * 2);
        assertThat(layout.unfit()).containsExactly(layout.tasks().indexOf(s.task("m4", 0)));
    }

    @Test
    void migProfileMaxInstancesHolds() {
        String[] jobs = new String[8];
        for (int i = 0; i < 8; i++) {
            jobs[i] = job("x" + i, mig("1g.10gb"), 1, "");
        }
        Scenario s = Scenario.of(jobs);
        for (int i = 0; i < 8; i++) {
            s.put("x" + i, 0, "a1", 0);
        }
        // Seven 1g.10gb instances fit on one A100-80GB; the eighth goes to the second GPU.
        assertThat(s.layout("a1").isClean()).isTrue();
        assertThat(s.gpusOf("x7", 0)).containsExactly(1);
    }

    @Test
    void runningTasksKeepTheirGpusAndNewWorkGoesAround() {
        Scenario s = Scenario.of(job("two", whole(2), 2, ""), job("eight", whole(8), 2, ""));
        s.put("two", 0, "h2", 0);
        assertThat(s.layout("h2").isClean()).isTrue();
        assertThat(s.gpusOf("run-1", 0)).containsExactly(0, 1);
        assertThat(s.gpusOf("two", 0)).containsExactly(2, 3);

        s.put("two", 0, null, 0).put("eight", 0, "h2", 0); // run-1 holds 2 of 8 GPUs for 3 slots
        assertThat(s.layout("h2").wholeShort()).isEqualTo(2 * 1000L * 2);
    }

    @Test
    void cpuAndMemoryAreCountedPerSlot() {
        Scenario s = Scenario.of(job("big", whole(1), 3, "\"cpuMillis\": 40000, \"memoryMiB\": 300000"),
                job("big2", whole(1), 3, "\"cpuMillis\": 40000, \"memoryMiB\": 300000"));
        s.put("big", 0, "h1", 0).put("big2", 0, "h1", 2); // overlap in slot 2 only
        NodeLayout layout = s.layout("h1");
        assertThat(layout.cpuOver()).isEqualTo(80000 - 64000);
        assertThat(layout.memoryOver()).isEqualTo(600000 - 524288);
        assertThat(layout.wholeShort()).isZero();
    }

    @Test
    void islandGangsStayInOneIsland() {
        Scenario s = Scenario.of(job("left", whole(3), 2, ""), job("right", whole(3), 2, ""),
                job("gang", whole(1), 2, "\"tasks\": 2, \"topology\": \"ISLAND\""),
                job("gang2", whole(1), 2, "\"tasks\": 2, \"topology\": \"ISLAND\""));
        s.put("left", 0, "h1", 0).put("gang", 0, "h1", 0).put("gang", 1, "h1", 0);
        assertThat(s.layout("h1").isClean()).isTrue();
        int island0 = s.problem.node("h1").islandOf()[s.gpusOf("gang", 0)[0]];
        int island1 = s.problem.node("h1").islandOf()[s.gpusOf("gang", 1)[0]];
        assertThat(island0).isEqualTo(island1);

        // left holds 0-2 and right 4-6: one GPU free in each island, the gang needs two in one.
        s.put("gang", 0, null, 0).put("gang", 1, null, 0).put("right", 0, "h1", 0)
                .put("gang2", 0, "h1", 0).put("gang2", 1, "h1", 0);
        assertThat(s.gpusOf("right", 0)).containsExactly(4, 5, 6);
        assertThat(s.layout("h1").islandShort()).isEqualTo(1000L * 2);
        assertThat(s.layout("h1").wholeShort()).isZero();
    }
}
