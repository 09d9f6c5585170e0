package io.gpuplacer.model.heuristic;

/**
 * Candidates cheapest first, handed out one at a time: by whether the node would strand GPUs, then cost, then
 * free capacity (fullest first), then position in the candidate list, the order a stable sort on those keys
 * gives. The greedy almost always takes the first candidate, so the first is found by one scan, and only a
 * caller that asks for more gets a heap of the rest (built in linear time, a logarithmic pop): sorting every
 * candidate for every task was most of the greedy's time at 12,500 nodes.
 */
final class CandidateHeap {
    private final int[] heap;
    private final boolean[] strands;
    private final double[] cost;
    private final long[] free;
    private int size;
    private int handedOut;

    /** {@code positions[0..n)}: the candidates to order, each an index into the key arrays. */
    CandidateHeap(int[] positions, int n, boolean[] strands, double[] cost, long[] free) {
        this.heap = positions;
        this.size = n;
        this.strands = strands;
        this.cost = cost;
        this.free = free;
    }

    /** The next candidate's position, or -1 when none is left. */
    int next() {
        if (size == 0) {
            return -1;
        }
        if (handedOut++ == 0) { // the first: one scan, the rest stays unordered
            int best = 0;
            for (int i = 1; i < size; i++) {
                if (before(heap[i], heap[best])) {
                    best = i;
                }
            }
            int top = heap[best];
            heap[best] = heap[--size];
            return top;
        }
        if (handedOut == 2) {
            for (int i = size / 2 - 1; i >= 0; i--) {
                siftDown(i);
            }
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
