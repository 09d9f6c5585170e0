package io.gpuplacer.service.simulate;

import io.gpuplacer.connectors.traces.OpenbTrace.OpenbNode;
import io.gpuplacer.connectors.traces.OpenbTrace.OpenbPod;

import java.util.BitSet;
import java.util.List;
import java.util.Map;

/** The replay's cluster state: free CPU, memory and milli-GPU per GPU of every node. Pods never leave. */
final class SimCluster {

    final List<OpenbNode> nodes;
    final long[] freeCpu;
    final long[] freeMem;
    final int[][] freeGpu;
    /** The arrivals (by index) running now. */
    final BitSet running = new BitSet();
    long allocatedMilliGpu;

    SimCluster(List<OpenbNode> nodes) {
        this.nodes = nodes;
        this.freeCpu = new long[nodes.size()];
        this.freeMem = new long[nodes.size()];
        this.freeGpu = new int[nodes.size()][];
        for (int i = 0; i < nodes.size(); i++) {
            OpenbNode n = nodes.get(i);
            freeCpu[i] = n.cpuMilli();
            freeMem[i] = n.memoryMib();
            freeGpu[i] = new int[n.gpus()];
            java.util.Arrays.fill(freeGpu[i], 1000);
        }
    }

    /** Empties every node and places the given pods where they are now (after a re-optimisation). */
    void reset(Map<Integer, TraceProblem.Placed> placed, List<OpenbPod> arrivals) {
        allocatedMilliGpu = 0;
        running.clear();
        for (int i = 0; i < nodes.size(); i++) {
            freeCpu[i] = nodes.get(i).cpuMilli();
            freeMem[i] = nodes.get(i).memoryMib();
            java.util.Arrays.fill(freeGpu[i], 1000);
        }
        placed.forEach((index, where) -> place(index, arrivals.get(index), where.node(), where.gpus()));
    }

    long capacityMilliGpu() {
        return nodes.stream().mapToLong(n -> n.gpus() * 1000L).sum();
    }

    boolean modelAllowed(OpenbPod pod, int node) {
        return pod.numGpu() == 0 || pod.gpuSpec().isEmpty() || pod.gpuSpec().contains(nodes.get(node).model());
    }

    /** CPU, memory and model allow the pod here, and enough GPUs have room (whole GPUs, or one with the share). */
    boolean fits(OpenbPod pod, int node) {
        if (freeCpu[node] < pod.cpuMilli() || freeMem[node] < pod.memoryMib() || !modelAllowed(pod, node)) {
            return false;
        }
        if (pod.numGpu() == 0) {
            return true;
        }
        int[] free = freeGpu[node];
        if (pod.gpuMilli() >= 1000) {
            int whole = 0;
            for (int f : free) {
                whole += f == 1000 ? 1 : 0;
            }
            return whole >= pod.numGpu();
        }
        for (int f : free) {
            if (f >= pod.gpuMilli()) {
                return true;
            }
        }
        return false;
    }

    /** Runs the {@code index}-th arrival on the node's given GPUs. */
    void place(int index, OpenbPod pod, int node, int[] gpus) {
        running.set(index);
        freeCpu[node] -= pod.cpuMilli();
        freeMem[node] -= pod.memoryMib();
        for (int g : gpus) {
            freeGpu[node][g] -= pod.milliPerGpu();
        }
        allocatedMilliGpu += pod.requestedMilliGpu();
    }

    /** The lowest-index fully free GPUs for a whole-GPU pod. */
    int[] wholeGpus(OpenbPod pod, int node) {
        int[] out = new int[pod.numGpu()];
        int k = 0;
        int[] free = freeGpu[node];
        for (int g = 0; g < free.length && k < out.length; g++) {
            if (free[g] == 1000) {
                out[k++] = g;
            }
        }
        return out;
    }
}
