package io.gpuplacer.model.layout;

import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.problem.GpuKind;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.WorkloadProfile;

import java.util.List;

/** FGD's fragmentation measure (ATC'23) with our two additions, for one node's layout and for one slot. */
public final class FragmentationMeter {

    private FragmentationMeter() {
    }

    /**
     * FGD's fragmentation measure, summed over slots and taken relative to the node when empty: for each demand
     * class of the workload (weighted by how common it is), the free GPU capacity a task of that class could not
     * use (everything when the node has too little CPU free for it or too few whole GPUs; else the free part of
     * partly used GPUs for whole-GPU tasks, and GPUs with less free than asked for shared tasks). Relative to empty, so an idle node counts 0 and placing work on a node that is
     * already useless for big tasks costs less. In milli-GPU x slots; 0 for MIG nodes.
     */
    static double measure(Node node, GpuGrid grid, SlotLoad load, List<TaskAssignment> tasks, int[] starts,
                          WorkloadProfile profile) {
        int gpuCount = node.gpuCount();
        int width = grid.width();
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
                free[g] = grid.freeMilli(g, segmentStart);
            }
            long freeCpu = node.cpuMillis() - load.cpuUsed(segmentStart);
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
}
