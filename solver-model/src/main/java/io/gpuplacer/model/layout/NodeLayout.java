package io.gpuplacer.model.layout;

import io.gpuplacer.model.accounting.EnergyMeter;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.problem.GpuDemand;
import io.gpuplacer.model.problem.GpuKind;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.MigCatalogue;
import io.gpuplacer.model.problem.MigProfile;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Topology;
import io.gpuplacer.model.problem.WorkloadProfile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The GPU layout of one node: which GPU indices (and MIG memory-slice starts) each task on the node gets, and
 * how far the node is over its limits. It is the one place that turns "these tasks on this node over these
 * slots" into concrete devices: the score's capacity constraints read its shortfalls, and the plan reads its
 * GPU indices, so a plan with a zero hard score always lists valid devices.
 *
 * <p>Deterministic packing: running tasks that stay keep their GPUs; the rest are laid out by start slot,
 * biggest first, best fit (WHOLE tasks into the fullest NVLink island that still holds them, SHARED tasks onto
 * the fullest GPU with room, MIG instances onto the fullest GPU with a free placement). Interval loads laid out
 * in start order never fail while capacity holds in every slot, so for WHOLE demand the layout is exact; for
 * SHARED and MIG it is a best-fit heuristic, conservative (it may reject a tight fit, never accept a bad one).
 * Cost: O(tasks x GPUs x slots) per node, recomputed only for nodes a move touches.
 */
public final class NodeLayout {

    private static final int[] NO_GPUS = new int[0];

    private final Node node;
    private final List<TaskAssignment> tasks;
    private final int[] starts;
    private final int[][] gpus;
    private final int[] migStart;
    private final boolean[] laidOut;
    private long cpuOver;
    private long memoryOver;
    private long wholeShort;
    private long sharedShort;
    private long migShort;
    private long islandShort;
    private EnergyMeter.Reading energy;
    private long[] cpuUsed;

    // Occupancy grids, index g * width + t.
    private final int width;
    private final int gpuCount;
    private final boolean[] whole;
    private final int[] milli;
    private final int[] memMask;
    private final int[] compute;
    private final int[] profileCount;
    private final int profileKinds;

    private NodeLayout(Node node, List<TaskAssignment> tasks, int[] starts) {
        this.node = node;
        this.tasks = tasks;
        this.starts = starts;
        int n = tasks.size();
        this.gpus = new int[n][];
        this.migStart = new int[n];
        this.laidOut = new boolean[n];
        Arrays.fill(migStart, -1);
        int w = 1;
        for (int i = 0; i < n; i++) {
            w = Math.max(w, tasks.get(i).endSlotFor(starts[i]));
        }
        this.width = w;
        this.gpuCount = node.gpuCount();
        this.whole = new boolean[gpuCount * w];
        this.milli = new int[gpuCount * w];
        if (node.migEnabled()) {
            this.memMask = new int[gpuCount * w];
            this.compute = new int[gpuCount * w];
            this.profileKinds = node.migProfiles().size();
            this.profileCount = new int[gpuCount * w * profileKinds];
        } else {
            this.memMask = null;
            this.compute = null;
            this.profileKinds = 0;
            this.profileCount = null;
        }
        layOut(starts);
    }

    /** Lays out the tasks at their current start slots. */
    public static NodeLayout of(Node node, List<TaskAssignment> tasks) {
        int[] starts = new int[tasks.size()];
        for (int i = 0; i < starts.length; i++) {
            Integer s = tasks.get(i).getStartSlot();
            starts[i] = s == null ? 0 : s;
        }
        return new NodeLayout(node, tasks, starts);
    }

    /** Lays out the tasks at the given start slots ({@code starts[i]} for {@code tasks.get(i)}). */
    public static NodeLayout of(Node node, List<TaskAssignment> tasks, int[] starts) {
        return new NodeLayout(node, tasks, starts);
    }

    public Node node() {
        return node;
    }

    public List<TaskAssignment> tasks() {
        return tasks;
    }

    /** GPU indices of task i (empty for CPU-only tasks and for tasks that did not fit). */
    public int[] gpus(int i) {
        return gpus[i] == null ? NO_GPUS : gpus[i];
    }

    /** MIG memory-slice start of task i, or null. */
    public Integer migStart(int i) {
        return migStart[i] < 0 ? null : migStart[i];
    }

    /** Whether task i got its devices (CPU-only tasks always do). */
    public boolean laidOut(int i) {
        return laidOut[i];
    }

    /** CPU millis over the node's capacity, summed over slots. */
    public long cpuOver() {
        return cpuOver;
    }

    /** Memory MiB over the node's capacity, summed over slots. */
    public long memoryOver() {
        return memoryOver;
    }

    /** Milli-GPU-slots of WHOLE demand that found no free GPU. */
    public long wholeShort() {
        return wholeShort;
    }

    /** Milli-GPU-slots of SHARED demand that found no GPU with room. */
    public long sharedShort() {
        return sharedShort;
    }

    /** Compute-slice-slots of MIG demand that found no valid placement. */
    public long migShort() {
        return migShort;
    }

    /** Milli-GPU-slots of ISLAND gangs that fit on the node only by crossing NVLink islands. */
    public long islandShort() {
        return islandShort;
    }

    public boolean isClean() {
        return cpuOver == 0 && memoryOver == 0 && wholeShort == 0 && sharedShort == 0 && migShort == 0
                && islandShort == 0;
    }

    /** Sum of all shortfalls: used to compare two layouts of the same node. */
    public long totalViolation() {
        return cpuOver + memoryOver + wholeShort + sharedShort + migShort + islandShort;
    }

    private void layOut(int[] starts) {
        int n = tasks.size();
        long[] cpu = new long[width + 1];
        long[] mem = new long[width + 1];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            TaskAssignment task = tasks.get(i);
            int s = starts[i];
            int e = task.endSlotFor(s);
            if (e > s) {
                cpu[s] += task.getJob().cpuMillis();
                cpu[e] -= task.getJob().cpuMillis();
                mem[s] += task.getJob().memoryMiB();
                mem[e] -= task.getJob().memoryMiB();
            }
        }
        measureEnergy(starts);
        long c = 0;
        long m = 0;
        cpuUsed = new long[width];
        for (int t = 0; t < width; t++) {
            c += cpu[t];
            m += mem[t];
            cpuUsed[t] = c;
            cpuOver += Math.max(0, c - node.cpuMillis());
            memoryOver += Math.max(0, m - node.memoryMiB());
        }
        long[] size = new long[n];
        boolean[] fixed = new boolean[n];
        for (int i = 0; i < n; i++) {
            size[i] = tasks.get(i).getJob().gpu().shareMilli();
            fixed[i] = tasks.get(i).keepsOriginalGpus(node);
        }
        sortForLayout(order, starts, size, fixed);
        Map<Job, Integer> gangIsland = null;
        for (int i : order) {
            TaskAssignment task = tasks.get(i);
            GpuDemand demand = task.getJob().gpu();
            int s = starts[i];
            int e = task.endSlotFor(s);
            if (demand.kind() == GpuKind.NONE) {
                laidOut[i] = true;
                continue;
            }
            if (e <= s) { // nothing left inside the horizon
                laidOut[i] = true;
                if (task.keepsOriginalGpus(node)) {
                    gpus[i] = task.getHeldGpus().clone();
                    migStart[i] = task.getHeldMigStart() == null ? -1 : task.getHeldMigStart();
                }
                continue;
            }
            if ((demand.kind() == GpuKind.MIG) != node.migEnabled()) {
                // MIG tasks only on MIG nodes and nothing else there: a per-task rule, not a layout one.
                continue;
            }
            if (task.keepsOriginalGpus(node)) {
                markFixed(i, task, s, e);
                continue;
            }
            switch (demand.kind()) {
                case WHOLE -> {
                    boolean islandGang = task.getJob().topology() == Topology.ISLAND;
                    Integer island = null;
                    if (islandGang) {
                        if (gangIsland == null) {
                            gangIsland = new HashMap<>();
                        }
                        island = gangIsland.get(task.getJob());
                    }
                    // The first task of an ISLAND gang picks an island that holds the whole gang's GPUs here; no
                    // other job is held to that.
                    int islandNeed = islandGang && island == null ? gangGpusHere(task.getJob()) : 0;
                    int chosenIsland = placeWhole(i, demand.count(), s, e, islandGang, island, islandNeed);
                    if (islandGang && chosenIsland >= 0) {
                        gangIsland.putIfAbsent(task.getJob(), chosenIsland);
                    }
                }
                case SHARED -> placeShared(i, demand.milli(), s, e);
                case MIG -> placeMig(i, node.migProfiles().get(demand.migProfile()), demand.migComputeSlices(), s, e);
                default -> throw new IllegalStateException("unreachable");
            }
        }
    }

    /**
     * The layout order: tasks holding their devices first, then by start slot, biggest first, running before
     * pending, then by job and task (so the order never depends on how the tasks were listed). An insertion
     * sort on primitives: nodes hold a few tasks, and this runs for every node a move touches.
     */
    private void sortForLayout(int[] order, int[] starts, long[] size, boolean[] fixed) {
        if (order.length > 48) { // many small tasks (CPU-only nodes): a merge sort beats insertion
            Integer[] boxed = Arrays.stream(order).boxed().toArray(Integer[]::new);
            Arrays.sort(boxed, (a, b) -> layoutCompare(a, b, starts, size, fixed));
            for (int i = 0; i < order.length; i++) {
                order[i] = boxed[i];
            }
            return;
        }
        for (int i = 1; i < order.length; i++) {
            int x = order[i];
            int j = i - 1;
            while (j >= 0 && layoutCompare(order[j], x, starts, size, fixed) > 0) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = x;
        }
    }

    private int layoutCompare(int a, int b, int[] starts, long[] size, boolean[] fixed) {
        if (fixed[a] != fixed[b]) {
            return fixed[a] ? -1 : 1;
        }
        if (starts[a] != starts[b]) {
            return Integer.compare(starts[a], starts[b]);
        }
        if (size[a] != size[b]) {
            return Long.compare(size[b], size[a]);
        }
        TaskAssignment x = tasks.get(a);
        TaskAssignment y = tasks.get(b);
        if (x.isRunning() != y.isRunning()) {
            return x.isRunning() ? -1 : 1;
        }
        int byJob = Integer.compare(x.getJob().index(), y.getJob().index());
        return byJob != 0 ? byJob : Integer.compare(x.getTask(), y.getTask());
    }

    /**
     * The energy, emissions and on-hours the decisions cause (section 6, v1.1: every hour a task runs, past the
     * horizon too), by {@link EnergyMeter}'s marginal view: an alwaysOn node's base draw inside the horizon is
     * spent whatever we decide, so only its busy watts count there (the accounting counts both).
     */
    private void measureEnergy(int[] starts) {
        int n = tasks.size();
        int[] ends = new int[n];
        double[] busy = new double[n];
        for (int i = 0; i < n; i++) {
            TaskAssignment task = tasks.get(i);
            Job job = task.getJob();
            ends[i] = task.accountedEndFor(starts[i]);
            busy[i] = node.gpuBusyWatts() * job.utilization() * job.gpu().share();
        }
        int horizon = n == 0 ? width : tasks.get(0).getHorizon();
        energy = EnergyMeter.read(node, horizon, n, starts, ends, busy, EnergyMeter.Mode.MARGINAL);
    }

    /** What the node draws because of its tasks: kWh, CO2e, energy cost and on-hours, in all and past the horizon. */
    public EnergyMeter.Reading energy() {
        return energy;
    }

    /** Slots in which the tasks keep a node on that would otherwise be off (inside the horizon: 0 for alwaysOn). */
    public int onSlots() {
        return energy.onSlots();
    }

    /**
     * FGD's fragmentation measure, summed over slots and taken relative to the node when empty: for each demand
     * class of the workload (weighted by how common it is), the free GPU capacity a task of that class could not
     * use (everything when the node has too little CPU free for it or too few whole GPUs; else the free part of
     * partly used GPUs for whole-GPU tasks, and GPUs with less free than asked for shared tasks). Relative to empty, so an idle node counts 0 and placing work on a node that is
     * already useless for big tasks costs less. In milli-GPU x slots; 0 for MIG nodes.
     */
    public double fragmentation(WorkloadProfile profile) {
        if (node.migEnabled() || gpuCount == 0 || profile.classes().isEmpty()) {
            return 0.0;
        }
        int[] free = new int[gpuCount];
        java.util.Arrays.fill(free, 1000);
        double pressure = profile.pressure(node.gpuModel()); // a map lookup: once per node, not per segment
        double empty = fragmentationOf(free, node.cpuMillis(), node.gpuModel(), profile, pressure);
        boolean[] boundary = new boolean[width + 1];
        boundary[0] = true;
        for (int i = 0; i < tasks.size(); i++) {
            boundary[Math.min(width, starts[i])] = true;
            boundary[tasks.get(i).endSlotFor(starts[i])] = true;
        }
        double total = 0;
        int segmentStart = 0;
        for (int t = 1; t <= width; t++) {
            if (!boundary[t]) {
                continue;
            }
            for (int g = 0; g < gpuCount; g++) {
                int cell = g * width + segmentStart;
                free[g] = whole[cell] ? 0 : Math.max(0, 1000 - milli[cell]);
            }
            long freeCpu = node.cpuMillis() - cpuUsed[segmentStart];
            total += (fragmentationOf(free, freeCpu, node.gpuModel(), profile, pressure) - empty)
                    * (t - segmentStart);
            segmentStart = t;
        }
        return total;
    }

    /**
     * FGD's node fragmentation for one slot, given each GPU's free milli, the node's free CPU and its GPU model
     * (a class that may not use the model cannot use any of the node's GPUs), plus the profile's stranded
     * capacity and model contention terms.
     */
    public static double fragmentationOf(int[] free, long freeCpu, String model, WorkloadProfile profile) {
        return fragmentationOf(free, freeCpu, model, profile, profile.pressure(model));
    }

    private static double fragmentationOf(int[] free, long freeCpu, String model, WorkloadProfile profile,
                                          double pressure) {
        int fullyFree = 0;
        int totalFree = 0;
        int partialFree = 0;
        for (int f : free) {
            totalFree += f;
            if (f == 1000) {
                fullyFree++;
            } else {
                partialFree += f;
            }
        }
        double expected = 0;
        for (WorkloadProfile.DemandClass c : profile.classes()) {
            double unusable;
            if (freeCpu < c.cpuMillis() || !c.allows(model)) {
                unusable = totalFree;
            } else if (c.kind() == GpuKind.NONE) {
                unusable = 0;
            } else if (c.kind() == GpuKind.WHOLE) {
                unusable = fullyFree < c.amount() ? totalFree : partialFree;
            } else {
                unusable = 0;
                for (int f : free) {
                    if (f < c.amount()) {
                        unusable += f;
                    }
                }
            }
            expected += c.probability() * unusable;
        }
        // Two additions to FGD's measure (0 in a plain profile). Stranded: free GPU capacity that the free CPU
        // cannot feed at the workload's GPU-per-CPU ratio; FGD asks only whether the next task fits, not whether
        // the rest of the node still can be used.
        if (profile.gpuMilliPerCpuMilli() > 0) {
            expected += Math.max(0, totalFree - freeCpu * profile.gpuMilliPerCpuMilli());
        }
        // Contention: capacity in use on a model that the workload needs more (or less) than the average one, so
        // that work that may use several models leaves the contested ones to the work that may use only those.
        if (pressure != 1.0) {
            expected += (pressure - 1.0) * (free.length * 1000.0 - totalFree);
        }
        return expected;
    }

    private boolean gpuFree(int g, int s, int e) {
        int base = g * width;
        for (int t = s; t < e; t++) {
            if (whole[base + t] || milli[base + t] != 0 || memMask != null && memMask[base + t] != 0) {
                return false;
            }
        }
        return true;
    }

    private int gangGpusHere(Job job) {
        int total = 0;
        for (TaskAssignment t : tasks) {
            if (t.getJob().equals(job)) {
                total += job.gpu().count();
            }
        }
        return total;
    }

    /** Returns the island the GPUs came from (-1 when spread or unfit). */
    private int placeWhole(int i, int count, int s, int e, boolean islandRequired, Integer requiredIsland,
                           int islandNeed) {
        List<List<Integer>> islands = node.islands();
        boolean[] free = new boolean[gpuCount];
        int[] freeIn = new int[islands.size()];
        int totalFree = 0;
        for (int g = 0; g < gpuCount; g++) {
            if (gpuFree(g, s, e)) {
                free[g] = true;
                freeIn[node.islandOf()[g]]++;
                totalFree++;
            }
        }
        long slots = e - s;
        int best = -1;
        for (int k = 0; k < islands.size(); k++) {
            if (requiredIsland != null && k != requiredIsland) {
                continue;
            }
            if (freeIn[k] >= count && (best < 0 || freeIn[k] < freeIn[best])) {
                best = k;
            }
        }
        if (islandNeed > count) {
            int roomy = -1;
            for (int k = 0; k < islands.size(); k++) {
                if (freeIn[k] >= islandNeed && (roomy < 0 || freeIn[k] < freeIn[roomy])) {
                    roomy = k;
                }
            }
            best = roomy >= 0 ? roomy : best;
        }
        if (best >= 0) {
            take(i, tightestInTime(islands.get(best), free, count, e), s, e);
            return best;
        }
        if (totalFree < count) {
            wholeShort += (count - totalFree) * 1000L * slots;
            return -1;
        }
        if (islandRequired) {
            islandShort += count * 1000L * slots;
            return -1;
        }
        // Spread over islands, the emptiest first, so the fewest islands are cut.
        Integer[] byFree = new Integer[islands.size()];
        for (int k = 0; k < byFree.length; k++) {
            byFree[k] = k;
        }
        Arrays.sort(byFree, (a, b) -> freeIn[b] != freeIn[a] ? Integer.compare(freeIn[b], freeIn[a])
                : Integer.compare(a, b));
        int[] chosen = new int[count];
        int taken = 0;
        for (int k : byFree) {
            for (int g : islands.get(k)) {
                if (free[g] && taken < count) {
                    chosen[taken++] = g;
                }
            }
        }
        Arrays.sort(chosen);
        take(i, chosen, s, e);
        return -1;
    }

    /**
     * The {@code count} free GPUs of an island whose next use after slot e comes soonest (ties: island order),
     * ascending. Best fit in time: a GPU held later (a committed future start) is used up to that hold first, so
     * GPUs free for longer stay for longer tasks; without later holds every GPU ties and the island order stands.
     */
    private int[] tightestInTime(List<Integer> island, boolean[] free, int count, int e) {
        int[] candidates = new int[island.size()];
        int[] nextUse = new int[island.size()];
        int n = 0;
        boolean anyLater = false;
        for (int g : island) {
            if (free[g]) {
                candidates[n] = g;
                nextUse[n] = nextUse(g, e);
                anyLater |= nextUse[n] < width;
                n++;
            }
        }
        if (anyLater && n > count) { // a stable insertion sort by next use: islands hold a few GPUs
            for (int i = 1; i < n; i++) {
                int g = candidates[i];
                int u = nextUse[i];
                int j = i - 1;
                while (j >= 0 && nextUse[j] > u) {
                    candidates[j + 1] = candidates[j];
                    nextUse[j + 1] = nextUse[j];
                    j--;
                }
                candidates[j + 1] = g;
                nextUse[j + 1] = u;
            }
        }
        int[] chosen = Arrays.copyOf(candidates, count);
        Arrays.sort(chosen);
        return chosen;
    }

    /** The first slot at or after e in which GPU g is in use, or the layout's width when none. */
    private int nextUse(int g, int e) {
        int base = g * width;
        for (int t = e; t < width; t++) {
            if (whole[base + t] || milli[base + t] != 0 || memMask != null && memMask[base + t] != 0) {
                return t;
            }
        }
        return width;
    }

    private void take(int i, int[] chosen, int s, int e) {
        for (int g : chosen) {
            int base = g * width;
            for (int t = s; t < e; t++) {
                whole[base + t] = true;
            }
        }
        gpus[i] = chosen;
        laidOut[i] = true;
    }

    private void placeShared(int i, int need, int s, int e) {
        int best = -1;
        int bestLoad = -1;
        for (int g = 0; g < gpuCount; g++) {
            int base = g * width;
            int load = 0;
            boolean usable = true;
            for (int t = s; t < e && usable; t++) {
                usable = !whole[base + t];
                load = Math.max(load, milli[base + t]);
            }
            if (usable && load + need <= 1000 && load > bestLoad) {
                best = g;
                bestLoad = load;
            }
        }
        if (best < 0) {
            sharedShort += (long) need * (e - s);
            return;
        }
        int base = best * width;
        for (int t = s; t < e; t++) {
            milli[base + t] += need;
        }
        gpus[i] = new int[]{best};
        laidOut[i] = true;
    }

    private void placeMig(int i, MigProfile profile, int slices, int s, int e) {
        if (profile == null) {
            migShort += (long) slices * (e - s);
            return;
        }
        int bestGpu = -1;
        int bestStart = -1;
        int bestLoad = -1;
        for (int g = 0; g < gpuCount; g++) {
            int base = g * width;
            int load = 0;
            for (int t = s; t < e; t++) {
                load = Math.max(load, compute[base + t]);
            }
            if (load + profile.computeSlices() > MigCatalogue.COMPUTE_SLICES || load <= bestLoad) {
                continue;
            }
            for (int start : profile.placementStarts()) {
                if (migFits(g, profile, start, s, e)) {
                    bestGpu = g;
                    bestStart = start;
                    bestLoad = load;
                    break;
                }
            }
        }
        if (bestGpu < 0) {
            migShort += (long) profile.computeSlices() * (e - s);
            return;
        }
        markMig(bestGpu, profile, bestStart, s, e);
        gpus[i] = new int[]{bestGpu};
        migStart[i] = bestStart;
        laidOut[i] = true;
    }

    private boolean migFits(int g, MigProfile profile, int start, int s, int e) {
        int mask = profile.memoryMask(start);
        if (start + profile.placementSize() > MigCatalogue.MEMORY_SLICES) {
            return false;
        }
        int base = g * width;
        for (int t = s; t < e; t++) {
            int cell = base + t;
            if ((memMask[cell] & mask) != 0 || whole[cell] || milli[cell] != 0
                    || compute[cell] + profile.computeSlices() > MigCatalogue.COMPUTE_SLICES
                    || profileCount[cell * profileKinds + profile.index()] >= profile.maxInstances()) {
                return false;
            }
        }
        return true;
    }

    private void markMig(int g, MigProfile profile, int start, int s, int e) {
        int mask = profile.memoryMask(start);
        int base = g * width;
        for (int t = s; t < e; t++) {
            int cell = base + t;
            memMask[cell] |= mask;
            compute[cell] += profile.computeSlices();
            profileCount[cell * profileKinds + profile.index()]++;
        }
    }

    /** A task that holds its devices keeps them; any clash with another such task counts as shortfall. */
    private void markFixed(int i, TaskAssignment task, int s, int e) {
        GpuDemand demand = task.getJob().gpu();
        int[] held = task.getHeldGpus();
        long slots = e - s;
        switch (demand.kind()) {
            case WHOLE -> {
                for (int g : held) {
                    if (!gpuFree(g, s, e)) {
                        wholeShort += 1000L * slots;
                    }
                    int base = g * width;
                    for (int t = s; t < e; t++) {
                        whole[base + t] = true;
                    }
                }
            }
            case SHARED -> {
                int g = held[0];
                int base = g * width;
                for (int t = s; t < e; t++) {
                    if (whole[base + t]) {
                        sharedShort += demand.milli();
                    } else {
                        int before = milli[base + t];
                        milli[base + t] = before + demand.milli();
                        sharedShort += Math.max(0, milli[base + t] - Math.max(1000, before));
                    }
                }
            }
            case MIG -> {
                MigProfile profile = node.migProfiles().get(demand.migProfile());
                Integer start = task.getHeldMigStart();
                if (profile == null || start == null || !profile.placementStarts().contains(start)
                        || !migFits(held[0], profile, start, s, e)) {
                    migShort += (long) demand.migComputeSlices() * slots;
                }
                if (profile != null && start != null && start + profile.placementSize() <= MigCatalogue.MEMORY_SLICES) {
                    markMig(held[0], profile, start, s, e);
                }
                migStart[i] = start == null ? -1 : start;
            }
            default -> {
            }
        }
        gpus[i] = held.clone();
        laidOut[i] = true;
    }

    /** Task indices (into {@link #tasks()}) that did not get their devices. */
    public List<Integer> unfit() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            if (!laidOut[i]) {
                out.add(i);
            }
        }
        return out;
    }
}
