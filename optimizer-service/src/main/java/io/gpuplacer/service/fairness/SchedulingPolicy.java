package io.gpuplacer.service.fairness;

import io.gpuplacer.model.interchange.InputException;

import java.util.List;

/** What decides, each hour of the fairness simulation, which waiting jobs start now and which running ones stop. */
interface SchedulingPolicy {

    /** A waiting job started now on a node's GPUs. */
    record Start(String job, String node, int[] gpus) {
    }

    /** A running job preempted now, for a job started now, with Kueue's reason. */
    record Preempt(String job, String forJob, String reason) {
    }

    record Decisions(List<Start> starts, List<Preempt> preemptions) {
    }

    String name();

    Decisions decide(SimState state) throws InputException;
}
