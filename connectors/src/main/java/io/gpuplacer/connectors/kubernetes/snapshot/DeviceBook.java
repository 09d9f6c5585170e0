package io.gpuplacer.connectors.kubernetes.snapshot;

import io.gpuplacer.model.problem.MigProfile;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.gpuplacer.connectors.kubernetes.snapshot.SnapshotMapper.ANNOTATION;
import static io.gpuplacer.connectors.kubernetes.snapshot.Values.integer;

/**
 * Which GPUs, and which MIG memory slices, the pods of one snapshot hold, node by node: the API does not say which
 * devices the device plugin gave a container, so a pod names them in annotations or takes the lowest free ones.
 * One book per snapshot.
 */
final class DeviceBook {

    private final Map<String, BitSet> held = new HashMap<>();
    private final Map<String, Map<Integer, Integer>> migUsed = new HashMap<>();

    /** The GPUs a pod holds: its {@code gpuplacer.io/gpus} annotation where the device plugin's choice is known, else
     * the lowest free indices (the API does not say which devices a container got). */
    List<Integer> devices(String node, Map<String, String> notes, int gpuCount, int count, boolean exclusive) {
        BitSet held = this.held.computeIfAbsent(node, k -> new BitSet());
        List<Integer> out = new ArrayList<>();
        String given = notes.get(ANNOTATION + "gpus");
        if (given != null) {
            for (String g : given.split(",")) {
                out.add(integer(g.strip(), 0, "annotation gpuplacer.io/gpus"));
            }
            if (out.size() != count || out.stream().anyMatch(g -> g >= gpuCount)) {
                throw new IllegalArgumentException("annotation gpuplacer.io/gpus \"" + given + "\" does not name "
                        + count + " GPU(s) of the node's " + gpuCount);
            }
        } else {
            for (int g = held.nextClearBit(0); out.size() < count && g < gpuCount; g = held.nextClearBit(g + 1)) {
                out.add(g);
            }
            if (out.size() < count) {
                throw new IllegalArgumentException("asks for " + count + " GPU(s) but its node has "
                        + (gpuCount - held.cardinality()) + " not held by other pods");
            }
        }
        if (exclusive) {
            out.forEach(held::set);
        }
        return out;
    }

    /** A MIG instance's GPU and memory-slice start: from annotations, else the first free placement. */
    int[] migPlace(String node, MigProfile p, int gpuCount, Map<String, String> notes) {
        Map<Integer, Integer> used = migUsed.computeIfAbsent(node, k -> new HashMap<>());
        if (notes.containsKey(ANNOTATION + "gpus") && notes.containsKey(ANNOTATION + "mig-start")) {
            int g = integer(notes.get(ANNOTATION + "gpus"), 0, "annotation gpuplacer.io/gpus");
            int start = integer(notes.get(ANNOTATION + "mig-start"), 0, "annotation gpuplacer.io/mig-start");
            used.merge(g, p.memoryMask(start), (a, b) -> a | b);
            return new int[]{g, start};
        }
        for (int g = 0; g < gpuCount; g++) {
            for (int start : p.placementStarts()) {
                int mask = p.memoryMask(start);
                if ((used.getOrDefault(g, 0) & mask) == 0) {
                    used.merge(g, mask, (a, b) -> a | b);
                    return new int[]{g, start};
                }
            }
        }
        throw new IllegalArgumentException("no free placement for MIG profile " + p.name() + " on node " + node);
    }
}
