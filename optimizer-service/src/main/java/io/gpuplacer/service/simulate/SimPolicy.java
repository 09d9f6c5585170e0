package io.gpuplacer.service.simulate;

import io.gpuplacer.connectors.traces.OpenbTrace.OpenbPod;

/** Where one arriving pod goes: a node and its GPU indices, or null when it fails. */
interface SimPolicy {

    record Choice(int node, int[] gpus) {
    }

    /** Chooses for the pod, the {@code index}-th arrival; the caller applies the choice to the cluster. */
    Choice choose(OpenbPod pod, int index, SimCluster cluster);
}
