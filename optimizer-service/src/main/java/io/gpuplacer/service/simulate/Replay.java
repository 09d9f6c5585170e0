package io.gpuplacer.service.simulate;

import io.gpuplacer.connectors.traces.OpenbTrace.OpenbNode;
import io.gpuplacer.connectors.traces.OpenbTrace.OpenbPod;

import java.util.List;
import java.util.function.IntConsumer;

/**
 * One replay: pods arrive one at a time and are placed at once or fail; the GPU allocation ratio is recorded
 * each time the arrived GPU demand crosses k% of the cluster's capacity, k = 0..130 (the FGD protocol's metric).
 */
final class Replay {

    static final int POINTS = 131;

    /**
     * The outcome: allocation ratio in percent at k = 0..130% arrived, per-decision latencies in ns, and the packing
     * bounds at 100% arrived and at the end (what no repacking of the pods running then could exceed).
     */
    record Result(double[] allocation, long[] decisionNanos, int failed, PackingBound.Result boundAt100,
                  PackingBound.Result boundAtEnd) {
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
        PackingBound.Result boundAt100 = null;
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
                    boundAt100 = PackingBound.of(cluster.capacityMilliGpu(), arrivals, i + 1, cluster.running::get);
                }
                if (next % 10 == 1) {
                    progress.accept(next - 1);
                }
            }
        }
        while (next < POINTS) { // the inflated demand stops just short of the last points
            allocation[next++] = 100.0 * cluster.allocatedMilliGpu / capacity;
        }
        PackingBound.Result boundAtEnd = PackingBound.of(cluster.capacityMilliGpu(), arrivals, arrivals.size(),
                cluster.running::get);
        return new Result(allocation, nanos, failed, boundAt100 != null ? boundAt100 : boundAtEnd, boundAtEnd);
    }
}
