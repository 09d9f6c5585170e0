package io.gpuplacer.service.simulate;

import io.gpuplacer.connectors.traces.OpenbTrace.OpenbNode;
import io.gpuplacer.connectors.traces.OpenbTrace.OpenbPod;

import java.util.BitSet;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * One replay: pods arrive one at a time and are placed at once or fail; the GPU allocation ratio is recorded
 * each time the arrived GPU demand crosses k% of the cluster's capacity, k = 0..130 (the FGD protocol's metric).
 */
final class Replay {

    static final int POINTS = 131;

    /**
     * The outcome: allocation ratio in percent at k = 0..130% arrived, per-decision latencies in ns, and which
     * arrivals ran when the demand reached 100% (after the first {@code arrivedAt100}) and at the end.
     */
    record Result(double[] allocation, long[] decisionNanos, int failed, BitSet runningAt100,
                  int arrivedAt100, BitSet runningAtEnd) {
    }

    private Replay() {
    }

    static Result run(List<OpenbNode> nodes, List<OpenbPod> arrivals, SimPolicy policy, IntConsumer progress) {
        SimCluster cluster = new SimCluster(nodes);
        double capacity = cluster.capacityMilliGpu();
        double[] allocation = new double[POINTS];
        long[] nanos = new long[arrivals.size()];
        int next = 1; // k = 0 is 0% arrived, 0% allocated
        long arrived = 0;
        int failed = 0;
        BitSet runningAt100 = null;
        int arrivedAt100 = arrivals.size();
        for (int i = 0; i < arrivals.size(); i++) {
            OpenbPod pod = arrivals.get(i);
            long t0 = System.nanoTime();
            SimPolicy.Choice choice = policy.choose(pod, i, cluster);
            nanos[i] = System.nanoTime() - t0;
            if (choice != null) {
                cluster.place(i, pod, choice.node(), choice.gpus());
            } else {
                failed++;
            }
            arrived += pod.requestedMilliGpu();
            while (next < POINTS && arrived >= next / 100.0 * capacity) {
                allocation[next++] = 100.0 * cluster.allocatedMilliGpu / capacity;
                if (next == 101) {
                    runningAt100 = (BitSet) cluster.running.clone();
                    arrivedAt100 = i + 1;
                }
                if (next % 10 == 1) {
                    progress.accept(next - 1);
                }
            }
        }
        policy.finish(arrivals.size(), cluster);
        while (next < POINTS) { // the inflated demand stops just short of the last points
            allocation[next++] = 100.0 * cluster.allocatedMilliGpu / capacity;
        }
        return new Result(allocation, nanos, failed, runningAt100 != null ? runningAt100 : cluster.running,
                arrivedAt100, cluster.running);
    }
}
