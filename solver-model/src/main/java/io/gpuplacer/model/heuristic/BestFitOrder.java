package io.gpuplacer.model.heuristic;

import io.gpuplacer.model.domain.NodeList;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.NodeShape;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The order in which {@link GreedyPlacer} tries the nodes for a task: cheapest first by the marginal cost of
 * putting it there (node hours and base draw for slots the node would be switched on for, busy energy, all at the
 * zone's prices), then fullest first (best fit). CPU-only work goes to nodes without GPUs first, so it does not
 * strand GPUs. The free capacity at the start slot is a quick necessary test; {@link NodeState#tryLayout} is the
 * exact one, the caller's. Empty nodes of one shape cost the same, so one of them is priced per call. First fit
 * tries them in cluster order.
 */
final class BestFitOrder {

    /** Candidates in the order to try them. */
    interface Candidates {
        /** The next candidate, or null when none is left. */
        Node next();
    }

    private final NodeState[] states;
    private final FreeCapacity free;
    private final boolean firstFit;
    private final boolean pricing;
    private final int[] shapeOf; // by node index: its NodeShape's number
    private final int shapes;
    private final Map<List<Node>, int[]> indicesOf = new IdentityHashMap<>();

    BestFitOrder(List<Node> nodes, NodeState[] states, FreeCapacity free, boolean firstFit, boolean pricing) {
        this.states = states;
        this.free = free;
        this.firstFit = firstFit;
        this.pricing = pricing;
        this.shapeOf = NodeShape.number(nodes);
        this.shapes = Arrays.stream(shapeOf).max().orElse(-1) + 1;
    }

    /** Remembers a candidate list the caller keeps and asks about again (a range's nodes of one zone). */
    void keep(List<Node> candidates) {
        indicesOf.put(candidates, candidates.stream().mapToInt(Node::index).toArray());
    }

    /** The candidates that may hold {@code copies} tasks like this one from slot s, in the order to try them. */
    Candidates of(TaskAssignment task, int s, List<Node> candidates, int copies) {
        if (firstFit) {
            Iterator<Node> inOrder = candidates.iterator();
            return () -> inOrder.hasNext() ? inOrder.next() : null;
        }
        Job job = task.getJob();
        boolean gpu = job.gpu().usesGpu();
        long need = gpu ? job.gpu().shareMilli() * copies : job.cpuMillis() * copies;
        long cpuNeed = job.cpuMillis() * copies;
        int size = candidates.size();
        double[] cost = new double[size];
        long[] left = new long[size];
        boolean[] strands = new boolean[size];
        int[] passing = new int[size];
        double[] emptyCost = new double[pricing ? shapes : 0]; // by shape, NaN until priced
        Arrays.fill(emptyCost, Double.NaN);
        int n = 0;
        int[] index = indices(candidates);
        for (int i = 0; i < size; i++) {
            int node = index[i];
            long room = gpu ? free.gpuMilli(node, s) : free.cpuMillis(node, s);
            if (room < need || free.cpuMillis(node, s) < cpuNeed) {
                continue; // the quick necessary test, on flat arrays
            }
            left[i] = room;
            strands[i] = !gpu && candidates.get(i).gpuCount() > 0;
            if (pricing) {
                cost[i] = cost(task, s, copies, node, emptyCost);
            }
            passing[n++] = i;
        }
        CandidateHeap heap = new CandidateHeap(passing, n, strands, cost, left);
        return () -> {
            int i = heap.next();
            return i < 0 ? null : candidates.get(i);
        };
    }

    /** What the tasks would cost on the node; an empty node's price is its shape's, worked out once per call. */
    private double cost(TaskAssignment task, int s, int copies, int node, double[] emptyCost) {
        NodeState state = states[node];
        if (state.size() > 0) {
            return state.marginalCost(task, s, copies);
        }
        int shape = shapeOf[node];
        if (Double.isNaN(emptyCost[shape])) {
            emptyCost[shape] = state.marginalCost(task, s, copies);
        }
        return emptyCost[shape];
    }

    /** The node indices of a candidate list; shared lists (value ranges, kept zones) are worked out once. */
    private int[] indices(List<Node> candidates) {
        int[] known = indicesOf.get(candidates);
        if (known != null) {
            return known;
        }
        int[] index = candidates.stream().mapToInt(Node::index).toArray();
        if (candidates instanceof NodeList) {
            indicesOf.put(candidates, index);
        }
        return index;
    }
}
