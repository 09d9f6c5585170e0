package io.gpuplacer.service.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A cluster snapshot or signals document as it was given, kept for reading back and restoring. */
@MappedEntity("state_version")
public record StateVersionRecord(@Id @GeneratedValue @Nullable Long id, String kind, String body, String createdBy,
                                 Instant createdAt, @Nullable Long restoredFrom) {
}
