package io.gpuplacer.model.accounting;

import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;

import java.util.Arrays;

/**
 * Expected work lost to spot reclaims (interchange v1.1 section 6): per gang and SPOT node, over the slots in
 * which the node hosts at least one of the gang's tasks, interruptionPerHour x the work one interruption loses x
 * the gang's whole GPU share. One reclaim restarts the gang once, however many of its tasks the node holds.
 */
public final class SpotLoss {

    private SpotLoss() {
    }

    /** Expected GPU-hours lost on the node by a gang of GPU share {@code gangShare} over {@code slots} slots. */
    public static double gpuHours(Node node, Job job, double gangShare, long slots) {
        if (!node.isSpot() || node.interruptionPerHour() <= 0) {
            return 0.0;
        }
        return node.interruptionPerHour() * slots * job.lossHoursPerInterruption() * gangShare;
    }

    /** The number of slots covered by at least one of the intervals [starts[i], ends[i]), i < n. */
    public static long unionSlots(int n, int[] starts, int[] ends) {
        if (n == 1) {
            return Math.max(0, ends[0] - starts[0]);
        }
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) {
            packed[i] = ((long) starts[i] << 32) | (ends[i] & 0xffffffffL);
        }
        Arrays.sort(packed);
        long covered = 0;
        long reach = Long.MIN_VALUE;
        for (long p : packed) {
            long s = p >> 32;
            long e = p & 0xffffffffL;
            if (e <= s) {
                continue;
            }
            long from = Math.max(s, reach);
            if (e > from) {
                covered += e - from;
                reach = e;
            }
        }
        return covered;
    }
}
