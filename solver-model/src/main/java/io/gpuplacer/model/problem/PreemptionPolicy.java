package io.gpuplacer.model.problem;

/**
 * A queue's preemption policy (section 9, Kueue's ClusterQueue {@code preemption}). Absent fields are Kueue's
 * defaults: Never.
 */
public record PreemptionPolicy(PreemptionScope withinQueue, PreemptionScope reclaimWithinCohort,
                               PreemptionScope borrowWithinCohort) {

    public static final PreemptionPolicy NEVER = new PreemptionPolicy(PreemptionScope.Never, PreemptionScope.Never,
            PreemptionScope.Never);
}
