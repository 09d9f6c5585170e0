package io.gpuplacer.model.problem;

import java.time.Instant;
import java.util.List;

/**
 * The validated problem: every fact the solver, the accounting and the validator need, with references
 * resolved. Built only by {@code ProblemReader}, so an instance is always consistent.
 */
public record Problem(Instant now, int horizonHours, List<Zone> zones, List<Node> nodes, List<Job> jobs,
                      List<RunningTask> running, List<Queue> queues, List<String> warnings) {

    public Zone zone(String id) {
        for (Zone z : zones) {
            if (z.id().equals(id)) {
                return z;
            }
        }
        return null;
    }

    /** The queue of that id, or null. */
    public Queue queue(String id) {
        for (Queue q : queues) {
            if (q.id().equals(id)) {
                return q;
            }
        }
        return null;
    }

    public Node node(String id) {
        for (Node n : nodes) {
            if (n.id().equals(id)) {
                return n;
            }
        }
        return null;
    }

    /** Occupied slots of a task of a pending job: ceil(durationHours). */
    public static int occupiedSlots(Job job) {
        return (int) Math.ceil(job.durationHours());
    }

    /** The slot holding an instant, rounded down (negative before {@code now}). */
    public int slotFloor(Instant at) {
        return (int) Math.floorDiv(at.getEpochSecond() - now.getEpochSecond(), 3600L);
    }

    /** The first slot starting at or after an instant. */
    public int slotCeil(Instant at) {
        return (int) -Math.floorDiv(now.getEpochSecond() - at.getEpochSecond(), 3600L);
    }

    /** Earliest allowed start slot of a pending job (rule 8). */
    public int earliestStartSlot(Job job) {
        return job.earliestStart() == null ? 0 : Math.max(0, slotCeil(job.earliestStart()));
    }

    /**
     * Latest allowed start slot of a pending job (rule 8): without a deadline the job must start now (slot 0);
     * with one, start + occupied slots must not pass the deadline's slot, and the start lies in the horizon.
     * Smaller than {@link #earliestStartSlot} when the job cannot be placed at all.
     */
    public int latestStartSlot(Job job) {
        if (job.deadline() == null) {
            return 0;
        }
        long latest = (long) slotFloor(job.deadline()) - occupiedSlots(job); // long: a deadline far back stays negative
        return (int) Math.max(-1, Math.min(horizonHours - 1, latest));
    }
}
