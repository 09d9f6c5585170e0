package io.gpuplacer.service.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A cluster snapshot as the ledger knows it: its stored version and the instant it describes. */
@MappedEntity("ledger_snapshot")
public record LedgerSnapshotRecord(@Id @GeneratedValue @Nullable Long id, long stateVersion, Instant observedAt,
                                   Instant receivedAt) {
}
