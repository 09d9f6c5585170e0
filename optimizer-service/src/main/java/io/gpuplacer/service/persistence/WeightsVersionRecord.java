package io.gpuplacer.service.persistence;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** One version of the operator's weights: the knobs set (JSON object of id to value), who, why and when. */
@MappedEntity("weights_version")
public record WeightsVersionRecord(@Id Long version, String weights, String author, String reason,
                                   Instant createdAt) {
}
