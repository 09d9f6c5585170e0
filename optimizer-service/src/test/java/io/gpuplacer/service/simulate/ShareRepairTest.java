package io.gpuplacer.service.simulate;

import io.gpuplacer.connectors.traces.OpenbTrace;
import io.gpuplacer.connectors.traces.OpenbTrace.OpenbNode;
import io.gpuplacer.connectors.traces.OpenbTrace.OpenbPod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The batch pass's repair: placing failed pods by moving or exchanging one running share. */
class ShareRepairTest {

    private static final List<OpenbNode> TWO_NODES = List.of(
            new OpenbNode("n0", 32_000, 65_536, 1, "G2"), new OpenbNode("n1", 32_000, 65_536, 1, "G2"));

    @Test
    void exchangingTwoSharesMakesRoomForAFailedOne() {
        // n0: 470 + 320 (210 free); n1: 650 + 230 (120 free); a 230 fails. 470+230 and 650+320 leave 300 and 30.
        List<OpenbPod> pods = List.of(share(470, 4000, ""), share(320, 4000, ""), share(650, 4000, ""),
                share(230, 4000, ""), share(230, 4000, ""));
        Map<Integer, TraceProblem.Placed> placed = new LinkedHashMap<>(Map.of(0, at(0), 1, at(0), 2, at(1), 3, at(1)));
        List<Integer> failed = new ArrayList<>(List.of(4));

        assertThat(ShareRepair.run(TWO_NODES, pods, placed, failed)).isEqualTo(1);

        assertThat(failed).isEmpty();
        assertThat(placed.keySet()).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
        assertThat(placed.get(1).node()).isEqualTo(1); // the 320 went to the 650
        assertThat(placed.get(3).node()).isEqualTo(0); // the 230 came to the 470
        assertThat(placed.get(4).node()).isEqualTo(0);
        assertValid(TWO_NODES, pods, placed);
    }

    @Test
    void noExchangeBreaksCpuOrModelRules() {
        // As above, but n1 has 4 cores left: taking the 320 (30 cores) for its 230 (4 cores) would leave it 22 short.
        List<OpenbPod> cpuBound = List.of(share(470, 1000, ""), share(320, 30_000, ""), share(650, 24_000, ""),
                share(230, 4000, ""), share(230, 1000, ""));
        Map<Integer, TraceProblem.Placed> placed = new HashMap<>(Map.of(0, at(0), 1, at(0), 2, at(1), 3, at(1)));
        List<Integer> failed = new ArrayList<>(List.of(4));
        assertThat(ShareRepair.run(TWO_NODES, cpuBound, placed, failed)).isZero();
        assertThat(failed).containsExactly(4);
        assertThat(placed).containsOnlyKeys(0, 1, 2, 3);
        assertThat(placed.get(1).node()).isZero();

        // The 320 may only use n0's model, the 650 only n1's (else 650+320 on n0 and 470+230+230 on n1 would do).
        List<OpenbNode> models = List.of(new OpenbNode("n0", 32_000, 65_536, 1, "T4"),
                new OpenbNode("n1", 32_000, 65_536, 1, "G2"));
        List<OpenbPod> modelBound = List.of(share(470, 4000, ""), share(320, 4000, "T4"), share(650, 4000, "G2"),
                share(230, 4000, ""), share(230, 4000, ""));
        placed = new HashMap<>(Map.of(0, at(0), 1, at(0), 2, at(1), 3, at(1)));
        failed = new ArrayList<>(List.of(4));
        assertThat(ShareRepair.run(models, modelBound, placed, failed)).isZero();
        assertThat(placed.get(1).node()).isZero();
        // Without the 650's restriction the exchange happens, and keeps the 320 on its model.
        List<OpenbPod> looser = new ArrayList<>(modelBound);
        looser.set(2, share(650, 4000, ""));
        assertThat(ShareRepair.run(models, looser, placed, failed)).isEqualTo(1);
        assertThat(placed.get(2).node()).isZero();
        assertValid(models, looser, placed);
    }

    @Test
    void movingALoneShareAwayFreesAWholeGpu() {
        // n0's GPU holds one 300; n1's has 500 free; a whole-GPU pod fails.
        List<OpenbPod> pods = List.of(share(300, 2000, ""), share(500, 2000, ""), whole(8000));
        Map<Integer, TraceProblem.Placed> placed = new HashMap<>(Map.of(0, at(0), 1, at(1)));
        List<Integer> failed = new ArrayList<>(List.of(2));
        assertThat(ShareRepair.run(TWO_NODES, pods, placed, failed)).isEqualTo(1);
        assertThat(placed.get(0).node()).isEqualTo(1);
        assertThat(placed.get(2).node()).isZero();
        assertValid(TWO_NODES, pods, placed);
    }

    @Test
    void onAFilledSyntheticClusterEveryRunningPodStaysAndNoRuleBreaks(@TempDir Path dir) throws Exception {
        TraceGenerator.write(dir.resolve("nodes.csv"), dir.resolve("pods.csv"), 30, 400, 5);
        List<OpenbNode> nodes = OpenbTrace.readNodes(dir.resolve("nodes.csv"));
        List<OpenbPod> pods = OpenbTrace.readPods(dir.resolve("pods.csv"));
        long capacity = nodes.stream().mapToLong(n -> n.gpus() * 1000L).sum();
        List<OpenbPod> arrivals = Arrivals.of(pods, 42, 1.3, capacity);
        // Fill it online with random fit, which leaves shares badly paired.
        SimPolicy random = BaselinePolicies.random(7);
        SimCluster cluster = new SimCluster(nodes);
        Map<Integer, TraceProblem.Placed> placed = new LinkedHashMap<>();
        List<Integer> failed = new ArrayList<>();
        for (int i = 0; i < arrivals.size(); i++) {
            SimPolicy.Choice c = random.choose(arrivals.get(i), i, cluster);
            if (c == null) {
                failed.add(i);
            } else {
                cluster.place(i, arrivals.get(i), c.node(), c.gpus());
                placed.put(i, new TraceProblem.Placed(c.node(), c.gpus()));
            }
        }
        Set<Integer> running = new HashSet<>(placed.keySet());
        List<Integer> before = List.copyOf(failed);

        int count = ShareRepair.run(nodes, arrivals, placed, failed);

        assertThat(count).isPositive();
        assertThat(placed.keySet()).containsAll(running);
        assertThat(placed).hasSize(running.size() + count);
        assertThat(before).containsAll(failed).hasSize(failed.size() + count);
        assertValid(nodes, arrivals, placed);
    }

    /** An independent check: capacities, GPU models, shares on one GPU, whole pods on their own GPUs. */
    private static void assertValid(List<OpenbNode> nodes, List<OpenbPod> pods, Map<Integer, TraceProblem.Placed> placed) {
        long[] cpu = new long[nodes.size()];
        long[] mem = new long[nodes.size()];
        int[][] used = new int[nodes.size()][];
        for (int n = 0; n < nodes.size(); n++) {
            used[n] = new int[nodes.get(n).gpus()];
        }
        placed.forEach((i, at) -> {
            OpenbPod pod = pods.get(i);
            cpu[at.node()] += pod.cpuMilli();
            mem[at.node()] += pod.memoryMib();
            assertThat(at.gpus()).hasSize(pod.numGpu());
            assertThat(pod.gpuSpec().isEmpty() || pod.gpuSpec().contains(nodes.get(at.node()).model())).isTrue();
            for (int g : at.gpus()) {
                used[at.node()][g] += Math.min(pod.gpuMilli(), 1000);
            }
        });
        for (int n = 0; n < nodes.size(); n++) {
            assertThat(cpu[n]).isLessThanOrEqualTo(nodes.get(n).cpuMilli());
            assertThat(mem[n]).isLessThanOrEqualTo(nodes.get(n).memoryMib());
            for (int u : used[n]) {
                assertThat(u).isLessThanOrEqualTo(1000);
            }
        }
    }

    private static TraceProblem.Placed at(int node) {
        return new TraceProblem.Placed(node, new int[]{0});
    }

    private static OpenbPod share(int milli, long cpu, String model) {
        return new OpenbPod("s" + milli, cpu, 1024, 1, milli, model.isEmpty() ? List.of() : List.of(model));
    }

    private static OpenbPod whole(long cpu) {
        return new OpenbPod("w", cpu, 1024, 1, 1000, List.of());
    }
}
