package io.gpuplacer.model.problem;

/** The kinds of per-task GPU demand of interchange v1. */
public enum GpuKind { WHOLE, SHARED, MIG, NONE }
