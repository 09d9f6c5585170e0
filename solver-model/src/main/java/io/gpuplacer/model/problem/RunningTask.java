package io.gpuplacer.model.problem;

/**
 * A task running now: where it is ({@code node}, {@code gpus}, {@code migStart}) and how long it still runs.
 * The job carries the fields shared with pending work.
 */
public record RunningTask(Job job, int task, Node node, int[] gpus, Integer migStart, double remainingHours,
                          boolean migratable) {

    /** Slots occupied from slot 0: ceil(remainingHours), cut at the horizon. */
    public int occupiedSlots(int horizon) {
        return Math.min(horizon, (int) Math.ceil(remainingHours));
    }
}
