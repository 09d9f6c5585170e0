package io.gpuplacer.constraints;

/** Constraint ids: stable names used in plans, weights and analysis. */
public final class ConstraintIds {

    // Hard: the rules of interchange-v1 section 5.
    public static final String NODE_AVAILABLE = "nodeAvailable";
    public static final String GPU_MODEL = "gpuModel";
    public static final String CPU_CAPACITY = "cpuCapacity";
    public static final String MEMORY_CAPACITY = "memoryCapacity";
    public static final String GPU_EXCLUSIVE = "gpuExclusive";
    public static final String GPU_SHARING = "gpuSharing";
    public static final String MIG_GEOMETRY = "migGeometry";
    public static final String MIG_NODE_KIND = "migNodeKind";
    public static final String SPOT_PREEMPTIBLE = "spotPreemptible";
    public static final String GANG_ALL_OR_NOTHING = "gangAllOrNothing";
    public static final String GANG_SAME_START = "gangSameStart";
    public static final String TOPOLOGY_NODE = "topologyNode";
    public static final String TOPOLOGY_ISLAND = "topologyIsland";
    public static final String TOPOLOGY_RACK = "topologyRack";
    public static final String TOPOLOGY_BLOCK = "topologyBlock";
    public static final String TIME_WINDOW = "timeWindow";
    public static final String RUNNING_TASK_KEPT = "runningTaskKept";
    // Hard: the queue rules of section 9 (v1.2).
    public static final String QUEUE_FLAVOR = "queueFlavor";
    public static final String QUEUE_QUOTA = "queueQuota";
    public static final String COHORT_LENDING = "cohortLending";
    // Medium: work left unplaced (section 7).
    public static final String UNPLACED_WORK = "unplacedWork";
    // Soft: one currency, micro-USD (section 7).
    public static final String ENERGY_COST = "energyCost";
    public static final String NODE_COST = "nodeCost";
    public static final String CARBON_COST = "carbonCost";
    public static final String PREEMPTION_RISK = "preemptionRisk";
    public static final String MOVE_COST = "moveCost";
    public static final String PREEMPTION_LOSS = "preemptionLoss";
    public static final String FAIR_SHARING = "fairSharing";
    public static final String GANG_BLOCK_SPREAD = "gangBlockSpread";
    public static final String GPU_FRAGMENTATION = "gpuFragmentation";

    private ConstraintIds() {
    }
}
