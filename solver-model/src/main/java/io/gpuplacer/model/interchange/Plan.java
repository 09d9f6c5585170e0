package io.gpuplacer.model.interchange;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/** The plan document of interchange v1 section 4. Field names are the contract's. */
@JsonPropertyOrder({"score", "feasible", "placements", "unplaced", "moves", "preemptions", "totals",
        "totalsPastHorizon", "fairness", "constraints", "warnings", "explanations"})
public record Plan(String score, boolean feasible, List<Placement> placements, List<Unplaced> unplaced,
                   List<Move> moves, List<Preemption> preemptions, Totals totals,
                   @JsonInclude(JsonInclude.Include.NON_NULL) Totals totalsPastHorizon,
                   List<ConstraintScore> constraints, List<String> warnings, List<Explanation> explanations,
                   @JsonInclude(JsonInclude.Include.NON_NULL) Fairness fairness) {

    /** A plan without fairness (a problem without queues, a hand-made or older plan). */
    public Plan(String score, boolean feasible, List<Placement> placements, List<Unplaced> unplaced,
                List<Move> moves, List<Preemption> preemptions, Totals totals, Totals totalsPastHorizon,
                List<ConstraintScore> constraints, List<String> warnings, List<Explanation> explanations) {
        this(score, feasible, placements, unplaced, moves, preemptions, totals, totalsPastHorizon, constraints,
                warnings, explanations, null);
    }

    /**
     * Fairness among the queues (section 9) in slot 0 with the plan carried out: each queue's weighted share
     * (Kueue's: the most it borrows of any flavor per 1000 its cohort lends of it, over its fairShareWeight), and
     * Jain's index of the weighted shares over the queues with unplaced work (null when none has any).
     */
    public record Fairness(java.util.Map<String, Double> weightedShares,
                           @JsonInclude(JsonInclude.Include.ALWAYS) Double jain) {
    }

    /** The same plan with its fairness. */
    public Plan withFairness(Fairness value) {
        return new Plan(score, feasible, placements, unplaced, moves, preemptions, totals, totalsPastHorizon,
                constraints, warnings, explanations, value);
    }

    /** A plan without preemptions or the past-horizon split (a hand-made or older plan). */
    public Plan(String score, boolean feasible, List<Placement> placements, List<Unplaced> unplaced,
                List<Move> moves, Totals totals, List<ConstraintScore> constraints, List<String> warnings,
                List<Explanation> explanations) {
        this(score, feasible, placements, unplaced, moves, List.of(), totals, null, constraints, warnings,
                explanations);
    }

    /** The same plan with explanations (an addition to the contract). */
    public Plan withExplanations(List<Explanation> list) {
        return new Plan(score, feasible, placements, unplaced, moves, preemptions, totals, totalsPastHorizon,
                constraints, warnings, list, fairness);
    }

    /** The same plan with other preemptions (hand-made plans in tests and checks). */
    public Plan withPreemptions(List<Preemption> list) {
        return new Plan(score, feasible, placements, unplaced, moves, list, totals, totalsPastHorizon, constraints,
                warnings, explanations, fairness);
    }

    /**
     * A running task stopped from slot 0 to make room now for the job {@code for} (section 9, v1.2), with Kueue's
     * reason.
     */
    @JsonPropertyOrder({"job", "task", "node", "for", "reason"})
    public record Preemption(String job, int task, String node, @JsonProperty("for") String forJob, String reason) {
    }

    /**
     * Why a job was placed where and when, or why not (an addition to the contract): a one-line summary and the
     * score terms that decided it, each in USD (soft) or in its level's units.
     */
    @JsonPropertyOrder({"job", "placed", "summary", "terms"})
    public record Explanation(String job, boolean placed, String summary, List<Term> terms) {
    }

    /** One constraint's part in a job's score: {@code usd} for soft terms, {@code score} for every term. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"constraint", "score", "usd", "detail"})
    public record Term(String constraint, String score, Double usd, String detail) {
    }

    /** A task of a pending job placed on a node from a start slot. */
    @JsonPropertyOrder({"job", "task", "node", "gpus", "migStart", "startSlot"})
    public record Placement(String job, int task, String node, List<Integer> gpus, Integer migStart, int startSlot) {
    }

    /**
     * A job left unplaced, with a human reason. {@code task} (an addition to the contract) is set for a running
     * task that could not stay or move; pending gangs are unplaced whole and leave it out.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"job", "task", "reason"})
    public record Unplaced(String job, Integer task, String reason) {
    }

    /** A running task moved to another node or other GPUs. */
    @JsonPropertyOrder({"job", "task", "fromNode", "toNode", "gpus", "migStart"})
    public record Move(String job, int task, String fromNode, String toNode, List<Integer> gpus, Integer migStart) {
    }

    /**
     * The accounting of section 6. As {@code totalsPastHorizon} (an addition to the contract): the part of each
     * total that lies past the horizon, priced by the extended signals (an estimate); placedGpuShare there is 0.
     */
    @JsonPropertyOrder({"energyKWh", "co2eKg", "energyCostUsd", "nodeCostUsd", "expectedPreemptionLossGpuHours",
            "placedGpuShare", "preemptionLossGpuHours"})
    public record Totals(double energyKWh, double co2eKg, double energyCostUsd, double nodeCostUsd,
                         double expectedPreemptionLossGpuHours, double placedGpuShare,
                         double preemptionLossGpuHours) {

        /** Totals of a plan that preempts nothing (v1.1). */
        public Totals(double energyKWh, double co2eKg, double energyCostUsd, double nodeCostUsd,
                      double expectedPreemptionLossGpuHours, double placedGpuShare) {
            this(energyKWh, co2eKg, energyCostUsd, nodeCostUsd, expectedPreemptionLossGpuHours, placedGpuShare, 0.0);
        }
    }

    /** One constraint's part of the score. */
    @JsonPropertyOrder({"id", "level", "score", "matches"})
    public record ConstraintScore(String id, String level, String score, long matches) {
    }
}
