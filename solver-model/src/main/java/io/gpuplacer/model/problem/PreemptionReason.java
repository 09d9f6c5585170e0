package io.gpuplacer.model.problem;

/** Why a running task is preempted (section 9, rules P2-P4), with Kueue's reason names. */
public enum PreemptionReason {
    /** P2: lower-priority work of the same queue. */
    InClusterQueue,
    /** P3: work of a queue of the cohort that borrows, for a queue that stays within its nominal quota. */
    InCohortReclamation,
    /** P4: as P3, for a queue that borrows itself after the placement. */
    InCohortReclaimWhileBorrowing
}
