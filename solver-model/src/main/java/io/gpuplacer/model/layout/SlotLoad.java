package io.gpuplacer.model.layout;

import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.problem.Node;

import java.util.List;

/**
 * CPU and memory per slot of one node (rule 3): how much is used in each slot of the horizon and how far the
 * node is over its capacity, summed over slots. Difference arrays: O(tasks + slots).
 */
final class SlotLoad {

    private final long[] cpuUsed;
    private final long cpuOver;
    private final long memoryOver;

    private SlotLoad(long[] cpuUsed, long cpuOver, long memoryOver) {
        this.cpuUsed = cpuUsed;
        this.cpuOver = cpuOver;
        this.memoryOver = memoryOver;
    }

    static SlotLoad of(Node node, List<TaskAssignment> tasks, int[] starts, int width) {
        long[] cpu = new long[width + 1];
        long[] mem = new long[width + 1];
        for (int i = 0; i < tasks.size(); i++) {
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
        long c = 0;
        long m = 0;
        long cpuOver = 0;
        long memoryOver = 0;
        long[] used = new long[width];
        for (int t = 0; t < width; t++) {
            c += cpu[t];
            m += mem[t];
            used[t] = c;
            cpuOver += Math.max(0, c - node.cpuMillis());
            memoryOver += Math.max(0, m - node.memoryMiB());
        }
        return new SlotLoad(used, cpuOver, memoryOver);
    }

    /** CPU millis in use in slot t. */
    long cpuUsed(int t) {
        return cpuUsed[t];
    }

    long cpuOver() {
        return cpuOver;
    }

    long memoryOver() {
        return memoryOver;
    }
}
