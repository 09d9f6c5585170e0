package io.gpuplacer.model.problem;

import java.util.Map;

/**
 * A queue of interchange section 9 (v1.2), with Kueue's meaning of a ClusterQueue: GPU quotas per flavor (a node
 * {@code gpuModel}), a cohort whose queues lend each other unused quota, a weight for fair sharing of what is lent,
 * and the preemption policy. Equality is by index: queues are keys of the quota constraints' group-by.
 */
public record Queue(int index, String id, String cohort, double fairShareWeight, Map<String, Quota> quotas,
                    PreemptionPolicy preemption) {

    /** The cohort the queue lends and borrows in; a queue outside any cohort is a cohort of its own. */
    public String cohortKey() {
        return cohort != null ? cohort : "queue:" + id;
    }

    /** The quota of a flavor, or null when the queue lists none (its work may not run there: rule Q3). */
    public Quota quota(String flavor) {
        return quotas.get(flavor);
    }

    /** Whether the queue's work may run on nodes of the flavor (rule Q3; CPU-only work uses no quota). */
    public boolean admits(Job job, String flavor) {
        return !job.gpu().usesGpu() || quotas.containsKey(flavor);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Queue q && q.index == index && q.id.equals(id);
    }

    @Override
    public int hashCode() {
        return index;
    }

    @Override
    public String toString() {
        return id;
    }
}
