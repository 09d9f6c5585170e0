package io.gpuplacer.model.problem;

/** Kueue's preemption policy values: which victims a policy allows. Names are the contract's. */
public enum PreemptionScope {
    Never, LowerPriority, Any;

    /** Whether a victim of that priority may be preempted for work of this priority under the policy. */
    public boolean allows(int victimPriority, int priority) {
        return this == Any || this == LowerPriority && victimPriority < priority;
    }
}
