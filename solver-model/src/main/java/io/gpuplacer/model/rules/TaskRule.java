package io.gpuplacer.model.rules;

import io.gpuplacer.model.problem.GpuKind;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;

/**
 * The per-task rules of interchange section 5 that depend on the task and its node alone: the one statement of
 * each, read by the constraints, the placement oracle, the value ranges and the unplaced reasons, so none of them
 * can drift from the others. (The plan validator states the rules again on purpose, from the contract's text.)
 *
 * <p>A running task that stays where it runs is today's state, not a decision: only a dead node counts against
 * it (rule 9: it must move); the other rules judge where work is sent.
 */
public enum TaskRule {

    /** Rules 1 and 9: new work and moves only onto healthy, schedulable nodes; nothing stays on a dead node. */
    NODE_AVAILABLE("nodeAvailable", "unhealthy or cordoned") {
        @Override
        public boolean breaks(Job job, Node node, boolean staying) {
            return !node.healthy() || !staying && !node.schedulable();
        }

        @Override
        public String why(Job job, Node node) {
            return "node " + node.id() + " is " + (node.healthy() ? "cordoned" : "unhealthy");
        }
    },

    /** Rule 2: the node's GPU model is one the job allows. */
    GPU_MODEL("gpuModel", "another GPU model") {
        @Override
        public boolean breaks(Job job, Node node, boolean staying) {
            return !staying && !job.allowsModel(node.gpuModel());
        }

        @Override
        public String why(Job job, Node node) {
            return node.gpuModel() + " is not one of " + job.gpuModels();
        }

        @Override
        public String excluded(Job job) {
            return "another GPU model than " + job.gpuModels();
        }
    },

    /** Rule 7: work that may not be preempted never goes to a SPOT node. */
    SPOT_PREEMPTIBLE("spotPreemptible", "SPOT (the job is not preemptible)") {
        @Override
        public boolean breaks(Job job, Node node, boolean staying) {
            return !staying && node.isSpot() && !job.preemptible();
        }

        @Override
        public String why(Job job, Node node) {
            return "not preemptible, on SPOT node " + node.id();
        }
    },

    /** Rule 4: MIG tasks only on MIG nodes, and nothing but MIG tasks on those nodes' GPUs. */
    MIG_NODE_KIND("migNodeKind", "MIG-only") {
        @Override
        public boolean breaks(Job job, Node node, boolean staying) {
            return job.gpu().usesGpu() && (job.gpu().kind() == GpuKind.MIG) != node.migEnabled();
        }

        @Override
        public String why(Job job, Node node) {
            return job.gpu() + " on a node with" + (node.migEnabled() ? "" : "out") + " MIG";
        }

        @Override
        public String excluded(Job job) {
            return job.gpu().kind() == GpuKind.MIG ? "without MIG" : "MIG-only";
        }
    },

    /** Rule Q3 (section 9): a queue's GPU work only on the flavors its quotas list. */
    QUEUE_FLAVOR("queueFlavor", "of a flavor the queue has no quota for") {
        @Override
        public boolean breaks(Job job, Node node, boolean staying) {
            return !staying && job.queue() != null && !job.queue().admits(job, node.gpuModel());
        }

        @Override
        public String why(Job job, Node node) {
            return "queue " + job.queue().id() + " has no quota for " + node.gpuModel();
        }

        @Override
        public String excluded(Job job) {
            return "of a flavor queue " + job.queue().id() + " has no quota for (it lists "
                    + new java.util.TreeSet<>(job.queue().quotas().keySet()) + ")";
        }
    };

    private final String id;
    private final String excluded;

    TaskRule(String id, String excluded) {
        this.id = id;
        this.excluded = excluded;
    }

    /** The constraint id that carries the rule. */
    public String id() {
        return id;
    }

    /** Whether a task of the job on the node breaks the rule ({@code staying}: a running task on its own node). */
    public abstract boolean breaks(Job job, Node node, boolean staying);

    /** Why the task breaks the rule there, naming the node or the value. */
    public abstract String why(Job job, Node node);

    /** How the unplaced reasons describe the nodes this rule excludes for the job ("3 nodes ..."). */
    public String excluded(Job job) {
        return excluded;
    }

    /** The first rule a new task of the job would break on the node, or null when it breaks none. */
    public static TaskRule firstBroken(Job job, Node node) {
        for (TaskRule rule : values()) {
            if (rule.breaks(job, node, false)) {
                return rule;
            }
        }
        return null;
    }

    /** How many of the rules a task of the job there breaks (each costs one hard point). */
    public static int countBroken(Job job, Node node, boolean staying) {
        int broken = 0;
        for (TaskRule rule : values()) {
            if (rule.breaks(job, node, staying)) {
                broken++;
            }
        }
        return broken;
    }
}
