package io.gpuplacer.model.heuristic;

import io.gpuplacer.model.problem.Node;

import java.util.List;

/**
 * Free milli-GPU and CPU of every node in every slot, slot-major in two flat arrays: the greedy's first test of
 * each candidate reads one slot's row in node order, contiguous memory, instead of two arrays per node
 * scattered over the heap (at 12,500 nodes that test runs about 200 million times).
 */
final class FreeCapacity {
    private final int nodes;
    private final long[] gpuMilli;
    private final long[] cpuMillis;

    FreeCapacity(List<Node> all, int horizon) {
        this.nodes = all.size();
        this.gpuMilli = new long[nodes * horizon];
        this.cpuMillis = new long[nodes * horizon];
        for (Node node : all) {
            for (int s = 0; s < horizon; s++) {
                gpuMilli[s * nodes + node.index()] = node.gpuCount() * 1000L;
                cpuMillis[s * nodes + node.index()] = node.cpuMillis();
            }
        }
    }

    long gpuMilli(int node, int s) {
        return gpuMilli[s * nodes + node];
    }

    long cpuMillis(int node, int s) {
        return cpuMillis[s * nodes + node];
    }

    /** Takes (sign 1) or gives back (sign -1) the load over slots [from, to). */
    void take(int node, int from, int to, long milli, long cpu, int sign) {
        for (int s = from; s < to; s++) {
            gpuMilli[s * nodes + node] -= sign * milli;
            cpuMillis[s * nodes + node] -= sign * cpu;
        }
    }
}
