package io.gpuplacer.model.problem;

/** How a node is bought; only SPOT nodes can be reclaimed. */
public enum CapacityType { ON_DEMAND, SPOT, RESERVED }
