package io.gpuplacer.model.problem;

import java.util.List;

/**
 * One MIG GPU-instance profile of one GPU model: compute slices (of 7), memory slices (of 8), how many
 * instances fit on one GPU, and the memory slices an instance may start at.
 */
public record MigProfile(String gpuModel, String name, int index, int computeSlices, int memorySlices,
                         int maxInstances, List<Integer> placementStarts, int placementSize, boolean mediaExtension) {

    /** Bit mask of the memory slices an instance starting at {@code start} takes. */
    public int memoryMask(int start) {
        return ((1 << placementSize) - 1) << start;
    }
}
