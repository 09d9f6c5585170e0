package io.gpuplacer.model.layout;

import io.gpuplacer.model.problem.MigCatalogue;
import io.gpuplacer.model.problem.MigProfile;
import io.gpuplacer.model.problem.Node;

import java.util.Arrays;
import java.util.List;

/**
 * The device allocator of one node: which GPU (and MIG memory slices) is in use in which slot, and the best-fit
 * choice of devices for a new task. It only chooses and marks; {@link NodeLayout} decides the order and counts
 * what did not fit. Grids are indexed {@code g * width + t}.
 */
final class GpuGrid {

    /** WHOLE GPUs chosen for a task, and the NVLink island they came from (-1 when spread over several). */
    record WholeChoice(int[] gpus, int island) {
    }

    /** A MIG instance: the GPU and the memory-slice start. */
    record MigChoice(int gpu, int start) {
    }

    private final Node node;
    private final int width;
    private final int gpuCount;
    private final boolean[] whole;
    private final int[] milli;
    private final int[] memMask;
    private final int[] compute;
    private final int[] profileCount;
    private final int profileKinds;

    GpuGrid(Node node, int width) {
        this.node = node;
        this.width = width;
        this.gpuCount = node.gpuCount();
        this.whole = new boolean[gpuCount * width];
        this.milli = new int[gpuCount * width];
        if (node.migEnabled()) {
            this.memMask = new int[gpuCount * width];
            this.compute = new int[gpuCount * width];
            this.profileKinds = node.migProfiles().size();
            this.profileCount = new int[gpuCount * width * profileKinds];
        } else {
            this.memMask = null;
            this.compute = null;
            this.profileKinds = 0;
            this.profileCount = null;
        }
    }

    int width() {
        return width;
    }

    /** The milli-GPU free on GPU g in slot t (0 when a WHOLE task holds it). */
    int freeMilli(int g, int t) {
        int cell = g * width + t;
        return whole[cell] ? 0 : Math.max(0, 1000 - milli[cell]);
    }

    /** Whether GPU g is unused in every slot of [s, e). */
    boolean gpuFree(int g, int s, int e) {
        int base = g * width;
        for (int t = s; t < e; t++) {
            if (whole[base + t] || milli[base + t] != 0 || memMask != null && memMask[base + t] != 0) {
                return false;
            }
        }
        return true;
    }

    /** GPUs unused over [s, e). */
    int freeGpus(int s, int e) {
        int free = 0;
        for (int g = 0; g < gpuCount; g++) {
            free += gpuFree(g, s, e) ? 1 : 0;
        }
        return free;
    }

    /**
     * Best fit for {@code count} whole GPUs over [s, e): the fullest island that holds them (the one that holds
     * {@code islandNeed} when more, for the first task of an ISLAND gang; only {@code requiredIsland} when given),
     * else spread over the emptiest islands unless {@code islandRequired}. Null when nothing fits.
     */
    WholeChoice chooseWhole(int count, int s, int e, boolean islandRequired, Integer requiredIsland,
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
            return new WholeChoice(tightestInTime(islands.get(best), free, count, e), best);
        }
        if (totalFree < count || islandRequired) {
            return null;
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
        return new WholeChoice(chosen, -1);
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

    /** Marks the GPUs as held by a WHOLE task over [s, e). */
    void takeWhole(int[] gpus, int s, int e) {
        for (int g : gpus) {
            int base = g * width;
            for (int t = s; t < e; t++) {
                whole[base + t] = true;
            }
        }
    }

    /** The fullest GPU with room for {@code need} milli over [s, e) and no WHOLE task, or -1. */
    int chooseShared(int need, int s, int e) {
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
        return best;
    }

    /**
     * Adds a SHARED task of {@code need} milli to GPU g over [s, e); returns the milli-GPU-slots that do not fit
     * (a WHOLE task there, or more than 1000 milli), 0 when it fits.
     */
    long addShared(int g, int need, int s, int e) {
        long short_ = 0;
        int base = g * width;
        for (int t = s; t < e; t++) {
            if (whole[base + t]) {
                short_ += need;
            } else {
                int before = milli[base + t];
                milli[base + t] = before + need;
                short_ += Math.max(0, milli[base + t] - Math.max(1000, before));
            }
        }
        return short_;
    }

    /** The fullest GPU (by compute slices) with a free placement of the profile over [s, e), or null. */
    MigChoice chooseMig(MigProfile profile, int s, int e) {
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
        return bestGpu < 0 ? null : new MigChoice(bestGpu, bestStart);
    }

    boolean migFits(int g, MigProfile profile, int start, int s, int e) {
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

    void markMig(int g, MigProfile profile, int start, int s, int e) {
        int mask = profile.memoryMask(start);
        int base = g * width;
        for (int t = s; t < e; t++) {
            int cell = base + t;
            memMask[cell] |= mask;
            compute[cell] += profile.computeSlices();
            profileCount[cell * profileKinds + profile.index()]++;
        }
    }
}
