package io.gpuplacer.service.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.service.persistence.StateStore;
import io.gpuplacer.service.persistence.StateVersionRecord;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The documents in force in the database: the newest stored version of each kind, else the bundled example (its
 * times moved by whole days so that its signals start today) or an empty document.
 */
final class StoredDocuments {

    private final StateStore store;
    private final Clock clock;
    private final boolean loadExample;

    StoredDocuments(StateStore store, Clock clock, boolean loadExample) {
        this.store = store;
        this.clock = clock;
        this.loadExample = loadExample;
    }

    /** The newest version id of each kind stored: {@code [cluster, signals]}. */
    long[] newestIds() {
        return new long[]{store.newestId(ClusterState.CLUSTER), store.newestId(ClusterState.SIGNALS)};
    }

    /** Reads the documents in force; {@code counter} is the replacement counter they will carry. */
    ClusterState.Documents load(long counter) {
        Instant today = clock.instant().truncatedTo(ChronoUnit.DAYS);
        StateVersionRecord clusterRecord = store.inForce(ClusterState.CLUSTER).orElse(null);
        StateVersionRecord signalsRecord = store.inForce(ClusterState.SIGNALS).orElse(null);
        JsonNode cluster = parsed(clusterRecord);
        JsonNode signals = parsed(signalsRecord);
        String clusterSource = cluster != null ? "database" : loadExample ? "bundled example" : "empty";
        String signalsSource = signals != null ? "database" : loadExample ? "bundled example" : "empty";
        if (cluster == null) {
            cluster = loadExample ? BundledExample.document("example/cluster.json", today) : BundledExample.emptyCluster();
        }
        if (signals == null) {
            signals = loadExample ? BundledExample.document("example/signals.json", today)
                    : BundledExample.emptySignals();
        }
        // A stored snapshot was observed when it was stored: its running work has aged since.
        return new ClusterState.Documents(cluster, signals, clusterSource, signalsSource,
                clusterRecord != null ? ObservedAt.stored(cluster, clusterRecord.createdAt())
                        .truncatedTo(ChronoUnit.SECONDS) : clock.instant(),
                signalsRecord != null ? signalsRecord.createdAt() : clock.instant(), counter,
                clusterRecord != null ? clusterRecord.id() : 0, signalsRecord != null ? signalsRecord.id() : 0);
    }

    static JsonNode parsed(StateVersionRecord record) {
        if (record == null) {
            return null;
        }
        try {
            return ProblemReader.parse(record.text(), record.kind());
        } catch (InputException e) {
            throw new IllegalStateException("stored " + record.kind() + " is not JSON: " + e.getMessage(), e);
        }
    }
}
