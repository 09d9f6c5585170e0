package io.gpuplacer.service.api.schema;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

/** Interchange section 1: a cluster snapshot. */
@Schema(name = "Cluster", description = "A cluster snapshot (interchange v1.2 sections 1 and 9)")
public record ClusterDocument(
        @Schema(requiredMode = REQUIRED) List<Zone> zones,
        @Schema(requiredMode = REQUIRED) List<ClusterNode> nodes,
        List<RunningTask> running,
        @Schema(description = "teams' queues with quotas per flavor (section 9); absent: no quota binds any work")
        List<Queue> queues,
        @Schema(description = "the instant the snapshot describes (default: when it is received)") Instant observedAt) {

    @Schema(name = "Zone")
    public record Zone(@Schema(requiredMode = REQUIRED) String id,
                       @Schema(requiredMode = REQUIRED, minimum = "1", maximum = "10") double pue) {
    }

    public enum CapacityType { ON_DEMAND, SPOT, RESERVED }

    @Schema(name = "Node")
    public record ClusterNode(
            @Schema(requiredMode = REQUIRED) String id,
            @Schema(requiredMode = REQUIRED, description = "grid zone") String zone,
            String rack,
            @Schema(description = "network block (leaf switch group, NVL domain)") String block,
            @Schema(description = "required when gpuCount > 0") String gpuModel,
            @Schema(requiredMode = REQUIRED, minimum = "0", maximum = "64") int gpuCount,
            @Schema(description = "default: one island of every GPU") List<List<Integer>> nvlinkIslands,
            Boolean migEnabled,
            @Schema(requiredMode = REQUIRED, minimum = "0", maximum = "1000000000") long cpuMillis,
            @Schema(requiredMode = REQUIRED, minimum = "0", maximum = "10000000000") long memoryMiB,
            CapacityType capacityType,
            @Schema(minimum = "0", maximum = "1") Double interruptionPerHour,
            @Schema(description = "the spot pool (e.g. instance type and region); a SPOT node takes the pool's rate in the signals' spot section over its own interruptionPerHour (the project's addition)") String pool,
            @Schema(requiredMode = REQUIRED, minimum = "0", maximum = "10000") double costPerHour,
            @Schema(requiredMode = REQUIRED, minimum = "0", maximum = "1000000") double baseWatts,
            @Schema(requiredMode = REQUIRED, minimum = "0", maximum = "10000") double gpuBusyWatts,
            Boolean alwaysOn,
            Boolean healthy,
            Boolean schedulable) {
    }

    @Schema(name = "RunningTask", description = "A task running now, with its job's fields")
    public record RunningTask(
            @Schema(requiredMode = REQUIRED) String job,
            @Schema(requiredMode = REQUIRED, minimum = "0") int task,
            @Schema(requiredMode = REQUIRED) String node,
            @Schema(requiredMode = REQUIRED) List<Integer> gpus,
            @Schema(description = "MIG tasks only") Integer migStart,
            @Schema(requiredMode = REQUIRED, minimum = "0", maximum = "8784") double remainingHours,
            Boolean migratable,
            String team,
            @Schema(description = "the task's queue (section 9); default: the queue whose id is its team, else none")
            String queue,
            @Schema(description = "when it started (the project's addition): preemption takes the most recently "
                    + "started first") Instant startedAt,
            @Schema(requiredMode = REQUIRED, minimum = "1", maximum = "1000000") int priority,
            @Schema(requiredMode = REQUIRED) JobsDocument.GpuDemand gpu,
            @Schema(requiredMode = REQUIRED, minimum = "0") long cpuMillis,
            @Schema(requiredMode = REQUIRED, minimum = "0") long memoryMiB,
            List<String> gpuModels,
            JobsDocument.Topology topology,
            Boolean preemptible,
            @Schema(minimum = "0") Double checkpointMinutes,
            @Schema(minimum = "0") Double restartMinutes,
            @Schema(minimum = "0", maximum = "1") Double utilization) {
    }

    @Schema(name = "Queue", description = "A queue with Kueue's meaning of a ClusterQueue (section 9)")
    public record Queue(
            @Schema(requiredMode = REQUIRED) String id,
            @Schema(description = "the queues of a cohort lend each other unused quota; none: a cohort of its own")
            String cohort,
            @Schema(description = "default 1: a bigger weight gets more of what is lent", exclusiveMinimum = true,
                    minimum = "0") Double fairShareWeight,
            List<Quota> quotas,
            Preemption preemption) {
    }

    @Schema(name = "Quota", description = "A queue's quota of one flavor (a node gpuModel), in GPU share")
    public record Quota(
            @Schema(requiredMode = REQUIRED) String flavor,
            @Schema(requiredMode = REQUIRED, minimum = "0") double nominalGpus,
            @Schema(description = "most it may use above nominal; null: as much as the cohort lends", minimum = "0")
            Double borrowingLimitGpus,
            @Schema(description = "most of its nominal that others may borrow; null: all of it", minimum = "0")
            Double lendingLimitGpus) {
    }

    @Schema(name = "QueuePreemption", description = "Kueue's preemption policy; absent fields are Never")
    public record Preemption(
            @Schema(allowableValues = {"Never", "LowerPriority"}) String withinQueue,
            @Schema(allowableValues = {"Never", "LowerPriority", "Any"}) String reclaimWithinCohort,
            @Schema(allowableValues = {"Never", "LowerPriority"}) String borrowWithinCohort) {
    }
}
