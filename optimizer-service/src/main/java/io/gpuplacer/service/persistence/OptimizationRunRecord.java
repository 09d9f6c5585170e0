package io.gpuplacer.service.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * A stored optimization run: its input queue, status, and best plan (interchange-v1 JSON) once it has one;
 * {@code owner} is the replica solving it; {@code cancelRequested} a stop asked through another replica (V13).
 */
@MappedEntity("optimization_run")
public record OptimizationRunRecord(@Id String id, String status, int seconds, int jobCount, int taskCount,
                                    long weightsVersion, String jobsDoc, @Nullable String score,
                                    @Nullable String plan, @Nullable String error, Instant createdAt,
                                    @Nullable Instant finishedAt, @Nullable String owner, boolean cancelRequested) {

    public OptimizationRunRecord finished(String newStatus, String newScore, String newPlan, String newError,
                                          Instant at) {
        return new OptimizationRunRecord(id, newStatus, seconds, jobCount, taskCount, weightsVersion, jobsDoc,
                newScore, newPlan, newError, createdAt, at, owner, cancelRequested);
    }
}
