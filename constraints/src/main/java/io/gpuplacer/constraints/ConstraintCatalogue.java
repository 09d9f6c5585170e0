package io.gpuplacer.constraints;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every constraint with its level, the unit its match weight counts, and what it stands for. */
public final class ConstraintCatalogue {

    public enum Level { HARD, MEDIUM, SOFT }

    public record Entry(String id, Level level, String unit, String description) {
    }

    public static final List<Entry> ENTRIES = List.of(
            new Entry(ConstraintIds.NODE_AVAILABLE, Level.HARD, "tasks",
                    "a task placed or moved onto an unhealthy or cordoned node, or left on an unhealthy one"),
            new Entry(ConstraintIds.GPU_MODEL, Level.HARD, "tasks", "a task on a node whose GPU model it does not allow"),
            new Entry(ConstraintIds.CPU_CAPACITY, Level.HARD, "CPU millis x slots over capacity",
                    "the tasks of a node ask for more CPU than it has in some slot"),
            new Entry(ConstraintIds.MEMORY_CAPACITY, Level.HARD, "MiB x slots over capacity",
                    "the tasks of a node ask for more memory than it has in some slot"),
            new Entry(ConstraintIds.GPU_EXCLUSIVE, Level.HARD, "milli-GPU x slots short",
                    "WHOLE GPU demand that finds no free GPU on its node"),
            new Entry(ConstraintIds.GPU_SHARING, Level.HARD, "milli-GPU x slots short",
                    "SHARED demand that finds no GPU with enough milli-GPU left (and no WHOLE or MIG user)"),
            new Entry(ConstraintIds.MIG_GEOMETRY, Level.HARD, "compute slices x slots short",
                    "MIG instances that find no valid placement (memory slices, 7 compute slices, max instances)"),
            new Entry(ConstraintIds.MIG_NODE_KIND, Level.HARD, "tasks",
                    "a MIG task on a node without MIG, or a WHOLE/SHARED task on a MIG node"),
            new Entry(ConstraintIds.SPOT_PREEMPTIBLE, Level.HARD, "tasks", "a non-preemptible task on a SPOT node"),
            new Entry(ConstraintIds.GANG_ALL_OR_NOTHING, Level.HARD, "tasks",
                    "a gang partly placed: the tasks left out of a gang that has some placed"),
            new Entry(ConstraintIds.GANG_SAME_START, Level.HARD, "slots",
                    "tasks of one gang with different start slots (spread of the starts)"),
            new Entry(ConstraintIds.TOPOLOGY_NODE, Level.HARD, "extra nodes",
                    "a NODE or ISLAND gang spread over more than one node"),
            new Entry(ConstraintIds.TOPOLOGY_ISLAND, Level.HARD, "milli-GPU x slots",
                    "an ISLAND gang whose GPUs do not fit in one NVLink island of its node"),
            new Entry(ConstraintIds.TOPOLOGY_RACK, Level.HARD, "extra racks", "a RACK gang spread over more than one rack"),
            new Entry(ConstraintIds.TOPOLOGY_BLOCK, Level.HARD, "extra blocks",
                    "a BLOCK gang spread over more than one network block"),
            new Entry(ConstraintIds.TIME_WINDOW, Level.HARD, "slots",
                    "a start before earliestStart, a finish after the deadline, or a late start without a deadline"),
            new Entry(ConstraintIds.RUNNING_TASK_KEPT, Level.HARD, "tasks",
                    "a running task dropped while its node is healthy, or a non-migratable one moved"),
            new Entry(ConstraintIds.QUEUE_FLAVOR, Level.HARD, "tasks",
                    "Q3: a task of a queue placed or moved onto a flavor (GPU model) its queue has no quota for"),
            new Entry(ConstraintIds.QUEUE_QUOTA, Level.HARD, "quota units (1/7000 GPU) x slots",
                    "Q1: a queue using more of a flavor than nominal + borrowingLimit (or than its running work "
                            + "already does)"),
            new Entry(ConstraintIds.COHORT_LENDING, Level.HARD, "quota units (1/7000 GPU) x slots",
                    "Q2: the queues of a cohort using more of a flavor above their guarantees than the cohort lends "
                            + "(or than its running work already does)"),
            new Entry(ConstraintIds.UNPLACED_WORK, Level.MEDIUM, "priority x milli-GPU share",
                    "work left unplaced: priority x GPU share (or cpuMillis/32000 for CPU-only tasks) per task"),
            new Entry(ConstraintIds.ENERGY_COST, Level.SOFT, "micro-USD",
                    "energy the decisions cause (node base draw while on, GPUs busy), PUE included, at the zone's "
                            + "hourly price x energyCostMultiplier"),
            new Entry(ConstraintIds.NODE_COST, Level.SOFT, "micro-USD",
                    "costPerHour x nodeCostMultiplier for every hour a node is on because of its tasks"),
            new Entry(ConstraintIds.CARBON_COST, Level.SOFT, "micro-USD",
                    "CO2e of that energy at the zone's hourly intensity x carbonPriceUsdPerTonne"),
            new Entry(ConstraintIds.PREEMPTION_RISK, Level.SOFT, "micro-USD",
                    "expected GPU-hours lost on SPOT nodes (section 6) x preemptionLossUsdPerGpuHour"),
            new Entry(ConstraintIds.MOVE_COST, Level.SOFT, "micro-USD",
                    "per moved running task: its gang's restart (restart + half a checkpoint, in GPU-hours) x "
                            + "preemptionLossUsdPerGpuHour, plus moveCostUsd"),
            new Entry(ConstraintIds.PREEMPTION_LOSS, Level.SOFT, "micro-USD",
                    "per preempted running task (section 9): restart + half a checkpoint, in GPU-hours of its own "
                            + "share, x preemptionLossUsdPerGpuHour"),
            new Entry(ConstraintIds.FAIR_SHARING, Level.SOFT, "micro-USD",
                    "per cohort, flavor and slot (section 9): GPUs of what the cohort lends held by its borrowing "
                            + "queues away from the split by fairShareWeight x fairSharingUsdPerGpuHour"),
            new Entry(ConstraintIds.GANG_BLOCK_SPREAD, Level.SOFT, "micro-USD",
                    "blockSpreadUsd per extra network block an ANY-topology gang spans"),
            new Entry(ConstraintIds.GPU_FRAGMENTATION, Level.SOFT, "micro-USD",
                    "GPU-hours of capacity the workload's typical tasks could not use (FGD's measure, relative to an "
                            + "empty node) x fragmentationUsdPerGpuHour"));

    public static final Map<String, Entry> BY_ID = ENTRIES.stream()
            .collect(Collectors.toUnmodifiableMap(Entry::id, Function.identity()));

    private ConstraintCatalogue() {
    }
}
