package io.gpuplacer.service.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * A job first seen pending (V8 job_arrival): its window and, as JSON, where a first fit would have put each task on
 * the state it arrived to ({@code firstFit}, null when nothing held it) and the least-drawing node per zone
 * ({@code bound}).
 */
@MappedEntity("job_arrival")
public record JobArrivalRecord(@Id @GeneratedValue @Nullable Long id, String job, @Nullable String team,
                               String source, Instant arrivedAt, Instant earliestStart, Instant latestStart,
                               int tasks, long stateVersion, @Nullable String firstFit, String bound,
                               @Nullable Double gpuShare, @Nullable String gpuModel, @Nullable String zone) {
}
