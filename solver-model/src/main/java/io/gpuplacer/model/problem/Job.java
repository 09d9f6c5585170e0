package io.gpuplacer.model.problem;

import java.time.Instant;
import java.util.List;

/**
 * A job: a gang of {@code tasks} identical tasks. Running jobs (rebuilt from the snapshot's running tasks)
 * have {@code running = true}; their per-task state is in {@link RunningTask}. {@code queue} is the queue whose
 * quotas bind the job (section 9), or null for work of no queue.
 */
public record Job(int index, String id, String team, Queue queue, int priority, int tasks, GpuDemand gpu, long cpuMillis,
                  long memoryMiB, List<String> gpuModels, Topology topology, boolean preemptible,
                  double checkpointMinutes, double restartMinutes, double durationHours, double utilization,
                  Instant earliestStart, Instant deadline, boolean running) {

    /** Whether a node's GPU model is allowed (always for CPU-only tasks). */
    public boolean allowsModel(String gpuModel) {
        return !gpu.usesGpu() || gpuModels.isEmpty() || gpuModels.contains(gpuModel);
    }

    /**
     * Medium-level weight of one unplaced task, in thousandths: priority x GPU share, or priority x
     * cpuMillis/32000 for CPU-only tasks (section 7).
     */
    public long unplacedWeightMilli() {
        long weight = gpu.usesGpu() ? gpu.shareMilli() : Math.round(cpuMillis / 32.0);
        return priority * Math.max(weight, 1L);
    }

    /** The job's GPU share per task in quota units ({@link QuotaUnits}): exact for every kind. */
    public long quotaUnits() {
        return QuotaUnits.of(gpu);
    }

    /** Work lost by one interruption, in hours: half a checkpoint interval plus the restart. */
    public double lossHoursPerInterruption() {
        return (checkpointMinutes / 2.0 + restartMinutes) / 60.0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Job j && j.index == index && j.running == running && j.id.equals(id);
    }

    @Override
    public int hashCode() {
        return running ? ~index : index;
    }

    @Override
    public String toString() {
        return id;
    }
}
