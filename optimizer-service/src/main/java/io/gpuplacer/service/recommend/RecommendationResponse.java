package io.gpuplacer.service.recommend;

import java.util.List;

/**
 * The answer of {@code POST /v1/recommendations}: places for the job, best first, each feasible on the current
 * state; when there is none, the reasons. {@code complete} is false when the search stopped at its time budget:
 * the places are the best found by then, and {@code reasons} says so.
 */
public record RecommendationResponse(List<Recommendation> recommendations, List<String> reasons, String now,
                                     long weightsVersion, boolean complete) {

    /** One place for the whole job; {@code scoreDiff} is the change of the score if it is taken. */
    public record Recommendation(List<TaskPlacement> placements, String scoreDiff, String startsAt,
                                 List<String> explanation) {
    }

    /** One task: node, GPU indices (WHOLE and SHARED), MIG start (MIG), start slot (hours after now). */
    public record TaskPlacement(int task, String node, List<Integer> gpus, Integer migStart, int startSlot) {
    }
}
