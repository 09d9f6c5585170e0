package io.gpuplacer.model.problem;

/** Where a gang's tasks must sit relative to each other. */
public enum Topology {
    ANY, NODE, ISLAND, RACK, BLOCK;

    /** ISLAND implies NODE: every GPU of the gang in one NVLink island of one node. */
    public boolean requiresOneNode() {
        return this == NODE || this == ISLAND;
    }
}
