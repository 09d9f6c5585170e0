package io.gpuplacer.service.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.service.persistence.ChangeWriter;
import io.gpuplacer.service.persistence.Conflicts;
import io.gpuplacer.service.persistence.LedgerInterval;
import io.gpuplacer.service.persistence.LedgerRowRecord;
import io.gpuplacer.service.persistence.StateStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A cluster snapshot stored together with the emission ledger's rows for the interval since the newest snapshot
 * recorded (one transaction, in {@link StateStore#storeCluster}); the rows are counted once they are committed.
 */
final class LedgerRecording {

    private final StateStore store;
    private final IntervalAccounting ledger;

    private final ChangeWriter audited;

    LedgerRecording(StateStore store, IntervalAccounting ledger, ChangeWriter audited) {
        this.store = store;
        this.ledger = ledger;
        this.audited = audited;
    }

    /** Returns the stored version; {@code current} is what is in force, whose snapshot is usually the previous one. */
    long store(JsonNode cluster, String actor, Instant received, Instant observed, Long restoredFrom,
               ClusterState.Documents current) {
        List<List<LedgerRowRecord>> recorded = new ArrayList<>(1);
        String body = cluster.toString();
        // Two replicas storing at once can deadlock on the ledger's newest row: the loser's transaction is run again.
        long id = Conflicts.retried(() -> audited.write(() -> {
            recorded.clear();
            return store.storeCluster(ClusterState.CLUSTER, body, actor, received, observed, restoredFrom,
                    (previous, until) -> {
                        LedgerInterval interval = ledger.rows(previousCluster(previous.stateVersion(), current),
                                previous.observedAt(), until, signalsInForce(current));
                        recorded.add(interval.rows());
                        return interval;
                    }).id();
        }, version -> VersionWriter.auditTarget(ClusterState.CLUSTER, version, restoredFrom)));
        recorded.forEach(ledger::committed);
        return id;
    }

    /**
     * The signals document in force at each instant of an interval: the newest stored by then (read once per
     * version), the one in force now when none was stored before it.
     */
    private java.util.function.Function<Instant, JsonNode> signalsInForce(ClusterState.Documents current) {
        java.util.Map<Long, JsonNode> read = new java.util.HashMap<>();
        return at -> store.inForceAt(ClusterState.SIGNALS, at)
                .filter(v -> v.id() != current.signalsVersion())
                .map(v -> read.computeIfAbsent(v.id(), id -> StoredDocuments.parsed(v)))
                .orElse(current.signals());
    }

    /** The snapshot of a stored version: the one in memory when it is that one, else read back. */
    private JsonNode previousCluster(long version, ClusterState.Documents current) {
        if (version == current.clusterVersion()) {
            return current.cluster();
        }
        return StoredDocuments.parsed(store.version(version).orElseThrow(() -> new IllegalStateException("the "
                + "ledger's snapshot version " + version + " is missing from state_version")));
    }
}
