package io.gpuplacer.service.persistence;

import io.gpuplacer.service.errors.OutOfOrderSnapshotException;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The cluster snapshots and signals documents, every one kept as a version (one insert: nothing half-written);
 * the newest of each kind is the one in force.
 */
@Singleton
public class StateStore {

    private final StateVersionRepository versions;
    private final LedgerRepository ledger;
    private final LedgerRowRepository rows;
    private final LedgerZoneHourRepository zoneHours;
    private final LedgerQueueHourRepository queueHours;

    public StateStore(StateVersionRepository versions, LedgerRepository ledger, LedgerRowRepository rows,
                      LedgerZoneHourRepository zoneHours, LedgerQueueHourRepository queueHours) {
        this.versions = versions;
        this.ledger = ledger;
        this.rows = rows;
        this.zoneHours = zoneHours;
        this.queueHours = queueHours;
    }

    /** The ledger's rows for the interval from the newest snapshot recorded (the one given) to a new one. */
    public interface IntervalRows {
        LedgerInterval between(LedgerSnapshotRecord previous, Instant observedAt);
    }

    /**
     * Stores a cluster snapshot and, in the same transaction, records it in the ledger with the rows of the
     * interval since the newest snapshot recorded; one that describes an earlier instant stores nothing.
     */
    @Transactional
    public StateVersionRecord storeCluster(String kind, String body, String author, Instant receivedAt,
                                           Instant observedAt, Long restoredFrom, IntervalRows intervalRows) {
        Optional<LedgerSnapshotRecord> newest = ledger.findNewestForUpdate();
        if (newest.isPresent() && observedAt.isBefore(newest.get().observedAt())) {
            throw new OutOfOrderSnapshotException(observedAt, newest.get().observedAt());
        }
        StateVersionRecord version = versions.save(StateVersionRecord.of(kind, body, author, receivedAt,
                restoredFrom));
        ledger.save(new LedgerSnapshotRecord(null, version.id(), observedAt, receivedAt));
        if (newest.isPresent()) {
            long previous = newest.get().id();
            LedgerInterval interval = intervalRows.between(newest.get(), observedAt);
            if (!interval.rows().isEmpty()) {
                rows.saveAll(interval.rows().stream().map(r -> r.withSnapshot(previous)).toList());
            }
            if (!interval.zoneHours().isEmpty()) {
                zoneHours.saveAll(interval.zoneHours().stream().map(z -> z.withSnapshot(previous)).toList());
            }
            if (!interval.queueHours().isEmpty()) {
                queueHours.saveAll(interval.queueHours().stream().map(q -> q.withSnapshot(previous)).toList());
            }
        }
        return version;
    }

    /** Versions of one kind, newest first, before an id. */
    public List<StateVersionRecord> page(String kind, long before, int limit) {
        return versions.findPage(kind, before, limit);
    }

    public Optional<StateVersionRecord> version(long id) {
        return versions.findById(id);
    }

    /** Stores a new document; returns its version. */
    public StateVersionRecord store(String kind, String body, String author, Instant at, Long restoredFrom) {
        return versions.save(StateVersionRecord.of(kind, body, author, at, restoredFrom));
    }

    /** The version of a kind in force at that instant (the newest stored by then), if any. */
    public Optional<StateVersionRecord> inForceAt(String kind, Instant at) {
        return versions.findInForceAt(kind, at);
    }

    public Optional<StateVersionRecord> inForce(String kind) {
        return versions.findNewest(kind);
    }

    /** The newest version id of a kind (0 when none): the one in force. */
    public long newestId(String kind) {
        return versions.findNewestId(kind);
    }
}
