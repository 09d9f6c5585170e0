package io.gpuplacer.service.api.schema;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

/** Interchange section 2: a job queue. */
@Schema(name = "Jobs", description = "A job queue (interchange v1.1 section 2)")
public record JobsDocument(
        @Schema(requiredMode = REQUIRED, description = "slot 0 starts here; on a whole hour") Instant now,
        @Schema(minimum = "1", maximum = "168", description = "default 48") Integer horizonHours,
        @Schema(requiredMode = REQUIRED) List<Job> jobs) {

    public enum Kind { WHOLE, SHARED, MIG, NONE }

    public enum Topology { ANY, NODE, ISLAND, RACK, BLOCK }

    @Schema(name = "GpuDemand", description = "per task: WHOLE needs count, SHARED milli, MIG profile")
    public record GpuDemand(@Schema(requiredMode = REQUIRED) Kind kind,
                            @Schema(minimum = "1", maximum = "64") Integer count,
                            @Schema(minimum = "1", maximum = "1000") Integer milli,
                            @Schema(example = "1g.10gb") String profile) {
    }

    @Schema(name = "Job", description = "A pending job: a gang of identical tasks")
    public record Job(
            @Schema(requiredMode = REQUIRED) String id,
            String team,
            @Schema(description = "the job's queue (section 9), a queue of the cluster document; default: the queue "
                    + "whose id is its team, else none") String queue,
            @Schema(requiredMode = REQUIRED, minimum = "1", maximum = "1000000") int priority,
            @Schema(requiredMode = REQUIRED, minimum = "1", maximum = "10000") int tasks,
            @Schema(requiredMode = REQUIRED) GpuDemand gpu,
            @Schema(requiredMode = REQUIRED, minimum = "0", maximum = "1000000000") long cpuMillis,
            @Schema(requiredMode = REQUIRED, minimum = "0", maximum = "10000000000") long memoryMiB,
            List<String> gpuModels,
            Topology topology,
            Boolean preemptible,
            @Schema(minimum = "0") Double checkpointMinutes,
            @Schema(minimum = "0") Double restartMinutes,
            @Schema(requiredMode = REQUIRED, exclusiveMinimum = true, minimum = "0", maximum = "8784")
            double durationHours,
            @Schema(minimum = "0", maximum = "1") Double utilization,
            Instant earliestStart,
            @Schema(description = "latest finish; absent = must start now") Instant deadline) {
    }
}
