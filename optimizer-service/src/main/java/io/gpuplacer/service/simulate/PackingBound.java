package io.gpuplacer.service.simulate;

import io.gpuplacer.connectors.traces.OpenbTrace.OpenbPod;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NoFeasibleSolutionException;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;


import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * An upper bound on the GPU allocation any placement can reach when some GPU-sharing pods must run and others may.
 * A GPU holds either whole-GPU pods (fully used) or shares summing to at most 1000 milli, so the milli-GPU left free
 * is at least the unused room on the GPUs that hold shares; this finds the least such room over every way of
 * packing the required shares plus any of the optional ones into GPUs (the linear relaxation of the cutting-stock
 * model: variables are the number of GPUs filled with each multiset of share sizes). CPU, memory, nodes and GPU
 * models are left out, so the bound holds for every placement, however the pods are moved.
 *
 * <p>Why it matters: a pod of 810 milli holds a GPU of its own and leaves 190 free unless pods of at most 190 milli
 * share it; when the trace has few of those, no consolidation can fill the room, and the bound shows how much.
 */
final class PackingBound {

    /** The GPU capacity in milli. */
    static final int GPU = 1000;
    /**
     * Beyond this many ways to fill a GPU the bound is not computed (the openb traces' share sizes give about 6,200;
     * traces with shares at a finer grain may give millions).
     */
    static final int MAX_PATTERNS = 50_000;

    /** Whether the bound was found, and if not, why. */
    enum Status { FOUND, TOO_MANY_PATTERNS, REQUIRED_DO_NOT_FIT }

    /**
     * The least milli-GPU the shares leave free, and the allocation bound in percent of the capacity; both NaN
     * unless the status is {@code FOUND}.
     */
    record Result(double minFreeMilli, double maxAllocationPercent, int patterns, Status status) {

        static Result not(Status why, int patterns) {
            return new Result(Double.NaN, Double.NaN, patterns, why);
        }
    }

    private PackingBound() {
    }

    /**
     * The bound for a replay's state after {@code arrived} arrivals: the GPU-sharing pods running then must stay,
     * those that arrived and failed may be added.
     */
    static Result of(long capacityMilli, List<OpenbPod> arrivals, int arrived, IntPredicate running) {
        return of(capacityMilli, arrivals, i -> i < arrived && running.test(i), i -> i < arrived && !running.test(i));
    }

    /**
     * The bound after {@code arrived} arrivals for every policy that runs each GPU-sharing pod among the first
     * {@code mustRun} arrivals (the later ones may run or not).
     */
    static Result ofPrefix(long capacityMilli, List<OpenbPod> arrivals, int mustRun, int arrived) {
        return of(capacityMilli, arrivals, i -> i < mustRun, i -> i >= mustRun && i < arrived);
    }

    private static Result of(long capacityMilli, List<OpenbPod> arrivals, IntPredicate required,
                             IntPredicate optional) {
        Map<Integer, Integer> must = new HashMap<>();
        Map<Integer, Integer> may = new HashMap<>();
        for (int i = 0; i < arrivals.size(); i++) {
            OpenbPod pod = arrivals.get(i);
            if (pod.sharesAGpu()) {
                if (required.test(i)) {
                    must.merge(pod.gpuMilli(), 1, Integer::sum);
                } else if (optional.test(i)) {
                    may.merge(pod.gpuMilli(), 1, Integer::sum);
                }
            }
        }
        return of(capacityMilli, must, may);
    }

    /**
     * @param capacityMilli the cluster's GPU capacity in milli
     * @param required      share size in milli (1..999) to the number of pods of that size that must run
     * @param optional      share size to the number of further pods of that size that may run
     */
    static Result of(long capacityMilli, Map<Integer, Integer> required, Map<Integer, Integer> optional) {
        SortedMap<Integer, int[]> counts = new TreeMap<>(Comparator.reverseOrder()); // size -> {min, max}
        required.forEach((size, n) -> counts.computeIfAbsent(check(size), s -> new int[2])[0] += n);
        optional.forEach((size, n) -> counts.computeIfAbsent(check(size), s -> new int[2])[1] += n);
        counts.values().forEach(c -> c[1] += c[0]);
        if (counts.values().stream().allMatch(c -> c[1] == 0)) {
            return new Result(0, 100.0, 0, Status.FOUND);
        }
        int[] sizes = counts.keySet().stream().mapToInt(Integer::intValue).toArray();
        int[] most = counts.values().stream().mapToInt(c -> c[1]).toArray();
        List<int[]> patterns = new ArrayList<>();
        if (!enumerate(sizes, most, 0, GPU, new int[sizes.length], patterns)) {
            return Result.not(Status.TOO_MANY_PATTERNS, patterns.size());
        }
        double[] waste = new double[patterns.size()];
        for (int p = 0; p < waste.length; p++) {
            waste[p] = GPU - load(patterns.get(p), sizes);
        }
        List<LinearConstraint> constraints = new ArrayList<>();
        int k = 0;
        for (int[] minMax : counts.values()) {
            double[] row = new double[patterns.size()];
            for (int p = 0; p < row.length; p++) {
                row[p] = patterns.get(p)[k];
            }
            if (minMax[0] > 0) {
                constraints.add(new LinearConstraint(row, Relationship.GEQ, minMax[0]));
            }
            constraints.add(new LinearConstraint(row, Relationship.LEQ, minMax[1]));
            k++;
        }
        double[] ones = new double[patterns.size()];
        java.util.Arrays.fill(ones, 1);
        constraints.add(new LinearConstraint(ones, Relationship.LEQ, capacityMilli / GPU)); // GPUs there are
        PointValuePair best;
        try {
            best = new SimplexSolver().optimize(new MaxIter(1_000_000), new LinearObjectiveFunction(waste, 0),
                    new LinearConstraintSet(constraints), GoalType.MINIMIZE, new NonNegativeConstraint(true));
        } catch (NoFeasibleSolutionException e) { // the required shares need more GPUs than there are
            return Result.not(Status.REQUIRED_DO_NOT_FIT, patterns.size());
        }
        double minFree = Math.max(0, best.getValue());
        return new Result(minFree, 100.0 * (capacityMilli - minFree) / capacityMilli, patterns.size(), Status.FOUND);
    }

    private static int check(int size) {
        if (size <= 0 || size >= GPU) {
            throw new IllegalArgumentException("a GPU share is 1..999 milli, not " + size);
        }
        return size;
    }

    /**
     * Every non-empty multiset of the sizes (at most {@code most[i]} of size i) that fits in one GPU; false when
     * there are more than {@link #MAX_PATTERNS}.
     */
    private static boolean enumerate(int[] sizes, int[] most, int i, int room, int[] current, List<int[]> out) {
        if (i == sizes.length) {
            if (room < GPU) {
                out.add(current.clone());
            }
            return out.size() <= MAX_PATTERNS;
        }
        int max = Math.min(most[i], room / sizes[i]);
        for (int n = 0; n <= max; n++) {
            current[i] = n;
            if (!enumerate(sizes, most, i + 1, room - n * sizes[i], current, out)) {
                return false;
            }
        }
        current[i] = 0;
        return true;
    }

    private static int load(int[] pattern, int[] sizes) {
        int sum = 0;
        for (int i = 0; i < sizes.length; i++) {
            sum += pattern[i] * sizes[i];
        }
        return sum;
    }
}
