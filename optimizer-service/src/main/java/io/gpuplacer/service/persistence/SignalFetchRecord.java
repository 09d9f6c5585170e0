package io.gpuplacer.service.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** One fetch of a signal source: which, when, how many hours it brought, or why it failed. */
@MappedEntity("signal_fetch")
public record SignalFetchRecord(@Id @GeneratedValue @Nullable Long id, String zone, String signalKind, String provider,
                                Instant startedAt, Instant retrievedAt, boolean ok, int hours,
                                @Nullable String errorKind, @Nullable String error) {
}
