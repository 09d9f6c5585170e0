package io.gpuplacer.service.simulate;

import io.gpuplacer.connectors.traces.OpenbTrace.OpenbPod;

/** Where one arriving pod goes: a node and its GPU indices, or null when it fails. */
interface SimPolicy {

    record Choice(int node, int[] gpus) {
    }

    /** Chooses for the pod, the {@code index}-th arrival; the caller applies the choice to the cluster. */
    Choice choose(OpenbPod pod, int index, SimCluster cluster);

    /** Called once after the last arrival, before the last points are recorded; may rearrange the cluster. */
    default void finish(int arrivals, SimCluster cluster) {
    }
}
