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
 *
 * <p>The parts: {@link GpuGrid} chooses and marks devices, {@link SlotLoad} sums CPU and memory per slot,
 * {@link io.gpuplacer.model.accounting.EnergyMeter} reads the energy and {@link FragmentationMeter} the
 * fragmentation; this class orders the tasks and counts what did not fit.
 */
public final class NodeLayout {

    private static final int[] NO_GPUS = new int[0];

    private final Node node;
    private final List<TaskAssignment> tasks;
    private final int[] starts;
    private final int[][] gpus;
    private final int[] migStart;
    private final boolean[] laidOut;
    private long wholeShort;
    private long sharedShort;
    private long migShort;
    private long islandShort;
    private EnergyMeter.Reading energy;
    private final int width;
    private final GpuGrid grid;
    private SlotLoad load;

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
        this.grid = new GpuGrid(node, w);
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
        return load.cpuOver();
    }

    /** Memory MiB over the node's capacity, summed over slots. */
    public long memoryOver() {
        return load.memoryOver();
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
        return load.cpuOver() == 0 && load.memoryOver() == 0 && wholeShort == 0 && sharedShort == 0 && migShort == 0
                && islandShort == 0;
    }

    /** Sum of all shortfalls: used to compare two layouts of the same node. */
    public long totalViolation() {
        return load.cpuOver() + load.memoryOver() + wholeShort + sharedShort + migShort + islandShort;
    }

    private void layOut(int[] starts) {
        int n = tasks.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        load = SlotLoad.of(node, tasks, starts, width);
        measureEnergy(starts);
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
     * FGD's fragmentation measure of the layout relative to the empty node, in milli-GPU x slots
     * ({@link FragmentationMeter}); 0 for MIG nodes.
     */
    public double fragmentation(WorkloadProfile profile) {
        return FragmentationMeter.measure(node, grid, load, tasks, starts, profile);
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

    /** Lays out a WHOLE task; returns the island its GPUs came from (-1 when spread or unfit). */
    private int placeWhole(int i, int count, int s, int e, boolean islandRequired, Integer requiredIsland,
                           int islandNeed) {
        GpuGrid.WholeChoice choice = grid.chooseWhole(count, s, e, islandRequired, requiredIsland, islandNeed);
        long slots = e - s;
        if (choice == null) {
            int free = grid.freeGpus(s, e);
            if (free < count) {
                wholeShort += (count - free) * 1000L * slots;
            } else {
                islandShort += count * 1000L * slots; // room enough, but not inside one island
            }
            return -1;
        }
        grid.takeWhole(choice.gpus(), s, e);
        gpus[i] = choice.gpus();
        laidOut[i] = true;
        return choice.island();
    }

    private void placeShared(int i, int need, int s, int e) {
        int g = grid.chooseShared(need, s, e);
        if (g < 0) {
            sharedShort += (long) need * (e - s);
            return;
        }
        grid.addShared(g, need, s, e);
        gpus[i] = new int[]{g};
        laidOut[i] = true;
    }

    private void placeMig(int i, MigProfile profile, int slices, int s, int e) {
        GpuGrid.MigChoice choice = profile == null ? null : grid.chooseMig(profile, s, e);
        if (choice == null) {
            migShort += (long) (profile == null ? slices : profile.computeSlices()) * (e - s);
            return;
        }
        grid.markMig(choice.gpu(), profile, choice.start(), s, e);
        gpus[i] = new int[]{choice.gpu()};
        migStart[i] = choice.start();
        laidOut[i] = true;
    }

    /** A task that holds its devices keeps them; any clash with another such task counts as shortfall. */
    private void markFixed(int i, TaskAssignment task, int s, int e) {
        GpuDemand demand = task.getJob().gpu();
        int[] held = task.getHeldGpus();
        long slots = e - s;
        switch (demand.kind()) {
            case WHOLE -> {
                for (int g : held) {
                    if (!grid.gpuFree(g, s, e)) {
                        wholeShort += 1000L * slots;
                    }
                }
                grid.takeWhole(held, s, e);
            }
            case SHARED -> sharedShort += grid.addShared(held[0], demand.milli(), s, e);
            case MIG -> {
                MigProfile profile = node.migProfiles().get(demand.migProfile());
                Integer start = task.getHeldMigStart();
                if (profile == null || start == null || !profile.placementStarts().contains(start)
                        || !grid.migFits(held[0], profile, start, s, e)) {
                    migShort += (long) demand.migComputeSlices() * slots;
                }
                if (profile != null && start != null && start + profile.placementSize() <= MigCatalogue.MEMORY_SLICES) {
                    grid.markMig(held[0], profile, start, s, e);
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
