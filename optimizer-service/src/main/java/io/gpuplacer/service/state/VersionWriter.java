package io.gpuplacer.service.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.service.persistence.ChangeWriter;
import io.gpuplacer.service.persistence.StateStore;

import java.time.Instant;

/**
 * Stores new versions, each with its audit row in its transaction; a cluster snapshot also with the emission
 * ledger's rows of the interval before it, when the service keeps a ledger.
 */
final class VersionWriter {

    private final StateStore store;
    private final LedgerRecording recording;
    private final ChangeWriter audited;

    VersionWriter(StateStore store, IntervalAccounting ledger, ChangeWriter audited) {
        this.store = store;
        this.audited = audited;
        this.recording = ledger == null ? null : new LedgerRecording(store, ledger, audited);
    }

    /** Stores a snapshot; {@code current} is what is in force (whose snapshot is usually the previous one). */
    long cluster(JsonNode cluster, String actor, Instant received, Instant observed, Long restoredFrom,
                 ClusterState.Documents current) {
        if (recording == null) {
            return store(ClusterState.CLUSTER, cluster, actor, received, restoredFrom);
        }
        return recording.store(cluster, actor, received, observed, restoredFrom, current);
    }

    /** Stores a version; the documents in force then carry its id, so the next sync finds nothing new of its kind. */
    long store(String kind, JsonNode body, String actor, Instant at, Long restoredFrom) {
        return audited.write(() -> store.store(kind, body.toString(), actor, at, restoredFrom).id(),
                id -> auditTarget(kind, id, restoredFrom));
    }

    /** What the audit names as changed: the version stored, and the one it restores. */
    static String auditTarget(String kind, long version, Long restoredFrom) {
        return kind + " version " + version + (restoredFrom == null ? "" : " restored from " + restoredFrom);
    }
}
