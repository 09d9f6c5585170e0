package io.gpuplacer.service.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** One hour a fetch brought, with the provider's flags. */
@MappedEntity("signal_point")
public record SignalPointRecord(@Id @GeneratedValue @Nullable Long id, long fetchId, Instant startsAt, double reading,
                                boolean estimated, @Nullable String emissionFactorType,
                                @Nullable String estimationMethod) {
}
