package io.gpuplacer.service.optimize;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.service.persistence.OptimizationRunRecord;

import java.time.Instant;

/**
 * A run as {@code GET /v1/optimizations/{id}} shows it: status, best score so far (or final), the plan once it
 * has one (interchange-v1), and the progress of a run still solving.
 */
public record OptimizationView(String id, String status, String score, JsonNode plan, String error, int seconds,
                               int jobs, int tasks, long weightsVersion, Instant createdAt, Instant finishedAt,
                               Progress progress) {

    /** A stored run with its live progress (null when this replica does not solve it). */
    static OptimizationView of(OptimizationRunRecord record, Progress progress) {
        JsonNode plan = null;
        if (record.plan() != null) {
            try {
                plan = ProblemReader.parse(record.plan(), "plan");
            } catch (InputException e) {
                throw new IllegalStateException("stored plan of " + record.id() + " is not JSON", e);
            }
        }
        // While it solves, the live best score is newer than the last checkpoint's.
        String score = progress != null && record.finishedAt() == null ? progress.score() : record.score();
        return new OptimizationView(record.id(), record.status(), score, plan, record.error(), record.seconds(),
                record.jobCount(), record.taskCount(), record.weightsVersion(), record.createdAt(),
                record.finishedAt(), progress);
    }

    /** The latest best solution of a run: when, its score and how many tasks it places. */
    public record Progress(long elapsedMillis, String score, long placedTasks, long totalTasks) {
    }
}
