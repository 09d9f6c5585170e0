package io.gpuplacer.model.heuristic;

/**
 * Candidates cheapest first, handed out one at a time: by whether the node would strand GPUs, then cost, then
 * free capacity (fullest first), then position in the candidate list, the order a stable sort on those keys
 * gives. The greedy almost always takes the first or second candidate, so a heap (built in linear time, a
 * logarithmic pop) replaces sorting every candidate for every task, which was most of the greedy's time at
 * 12,500 nodes.
 */
final class CandidateHeap {
    private final int[] heap;
    private final boolean[] strands;
    private final double[] cost;
    private final long[] free;
    private int size;

    /** {@code positions[0..n)}: the candidates to order, each an index into the key arrays. */
    CandidateHeap(int[] positions, int n, boolean[] strands, double[] cost, long[] free) {
        this.heap = positions;
        this.size = n;
        this.strands = strands;
        this.cost = cost;
        this.free = free;
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    /** The next candidate's position, or -1 when none is left. */
    int next() {
        if (size == 0) {
            return -1;
        }
        int top = heap[0];
        heap[0] = heap[--size];
        siftDown(0);
        return top;
    }

    private void siftDown(int i) {
        int item = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(heap[child + 1], heap[child])) {
                child++;
            }
            if (!before(heap[child], item)) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = item;
    }

    private boolean before(int a, int b) {
        if (strands[a] != strands[b]) {
            return !strands[a];
        }
        int byCost = Double.compare(cost[a], cost[b]);
        if (byCost != 0) {
            return byCost < 0;
        }
        if (free[a] != free[b]) {
            return free[a] < free[b];
        }
        return a < b;
    }
}
