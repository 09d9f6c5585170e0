package io.gpuplacer.service.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A zone's intensity and price for one hour as the ledger used them for an interval (V8 ledger_zone_hour). */
@MappedEntity("ledger_zone_hour")
public record LedgerZoneHourRecord(@Id @GeneratedValue @Nullable Long id, long snapshotId, Instant hourStart,
                                   String zone, double intensityGramsPerKwh, @Nullable String intensityProvider,
                                   boolean intensityEstimated, double priceUsdPerMwh) {

    public LedgerZoneHourRecord withSnapshot(long snapshot) {
        return new LedgerZoneHourRecord(id, snapshot, hourStart, zone, intensityGramsPerKwh, intensityProvider,
                intensityEstimated, priceUsdPerMwh);
    }
}
