package io.gpuplacer.service.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * A queue's quota of a flavor over part of an hour between two snapshots (V17 ledger_queue_hour): its nominal
 * quota, and the GPU share it used, borrowed above its nominal and lent to the cohort's borrowers, as at the
 * interval's snapshot.
 */
@MappedEntity("ledger_queue_hour")
public record LedgerQueueHourRecord(@Id @GeneratedValue @Nullable Long id, long snapshotId, Instant hourStart,
                                    double hours, String queue, String flavor, double nominalGpus, double usedGpus,
                                    double borrowedGpus, double lentGpus) {

    public LedgerQueueHourRecord withSnapshot(long snapshot) {
        return new LedgerQueueHourRecord(id, snapshot, hourStart, hours, queue, flavor, nominalGpus, usedGpus,
                borrowedGpus, lentGpus);
    }
}
