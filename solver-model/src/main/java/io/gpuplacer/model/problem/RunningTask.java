package io.gpuplacer.model.problem;

import java.time.Instant;

/**
 * A task running now: where it is ({@code node}, {@code gpus}, {@code migStart}) and how long it still runs.
 * The job carries the fields shared with pending work. {@code startedAt} (optional, an addition to the contract)
 * orders preemption victims, the most recently started first.
 */
public record RunningTask(Job job, int task, Node node, int[] gpus, Integer migStart, double remainingHours,
                          boolean migratable, Instant startedAt) {

    /** Slots occupied from slot 0: ceil(remainingHours), cut at the horizon (where the hard rules are checked). */
    public int occupiedSlots(int horizon) {
        return Math.min(horizon, occupiedSlots());
    }

    /** Slots occupied from slot 0, past the horizon too (v1.1 accounts for every hour a task runs). */
    public int occupiedSlots() {
        return (int) Math.ceil(remainingHours);
    }
}
