package io.gpuplacer.service.optimize;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A run as {@code GET /v1/optimizations/{id}} shows it: status, best score so far (or final), the plan once it
 * has one (interchange-v1), and the progress of a run still solving.
 */
public record OptimizationView(String id, String status, String score, JsonNode plan, String error, int seconds,
                               int jobs, int tasks, long weightsVersion, Instant createdAt, Instant finishedAt,
                               Progress progress) {

    /** The latest best solution of a run: when, its score and how many tasks it places. */
    public record Progress(long elapsedMillis, String score, long placedTasks, long totalTasks) {
    }
}
