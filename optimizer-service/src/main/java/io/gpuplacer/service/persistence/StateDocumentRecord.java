package io.gpuplacer.service.persistence;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A stored input document (kind {@code cluster} or {@code signals}) as the last PUT gave it. */
@MappedEntity("state_document")
public record StateDocumentRecord(@Id String kind, String body, String updatedBy, Instant updatedAt) {
}
