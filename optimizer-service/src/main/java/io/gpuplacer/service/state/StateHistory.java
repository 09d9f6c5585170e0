package io.gpuplacer.service.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.service.errors.NotFoundException;
import io.gpuplacer.service.persistence.StateStore;
import io.gpuplacer.service.persistence.StateVersionRecord;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;

/** Every cluster snapshot and signals document the service was given: listed, read back, restored. */
@Singleton
public class StateHistory {

    private final StateStore store;
    private final ClusterState state;

    public StateHistory(StateStore store, ClusterState state) {
        this.store = store;
        this.state = state;
    }

    /** A stored version; its document as it was given ({@link #document}). */
    public record Stored(long id, String kind, String createdBy, Instant createdAt, Long restoredFrom, String text) {
        static Stored of(StateVersionRecord r) {
            return new Stored(r.id(), r.kind(), r.createdBy(), r.createdAt(), r.restoredFrom(), r.text());
        }

        public JsonNode document() throws InputException {
            return ProblemReader.parse(text, kind);
        }
    }

    /** A restore: the documents now in force, and the new version that names the one restored. */
    public record Restored(ClusterState.Documents documents, String kind, long version, long from) {
    }

    /** Versions of one kind ({@code cluster} or {@code signals}), newest first, before an id. */
    public List<Stored> page(String kind, long before, int limit) throws InputException {
        return store.page(kind(kind), before, limit).stream().map(Stored::of).toList();
    }

    /** One version; unknown ids (also ones that are no number) are not found. */
    public Stored version(String id) {
        long n;
        try {
            n = Long.parseLong(id);
        } catch (NumberFormatException e) {
            n = -1;
        }
        return store.version(n).map(Stored::of)
                .orElseThrow(() -> new NotFoundException(id, "no state version " + id));
    }

    /** Makes a version the one in force again, validated as a PUT would be, stored as a new version. */
    public Restored restore(String id, String author) throws InputException {
        Stored stored = version(id);
        JsonNode document = stored.document();
        boolean cluster = ClusterState.CLUSTER.equals(stored.kind());
        ClusterState.Documents d = cluster ? state.replaceCluster(document, author, stored.id())
                : state.replaceSignals(document, author, stored.id());
        return new Restored(d, stored.kind(), cluster ? d.clusterVersion() : d.signalsVersion(), stored.id());
    }

    private static String kind(String kind) throws InputException {
        if (ClusterState.CLUSTER.equals(kind) || ClusterState.SIGNALS.equals(kind)) {
            return kind;
        }
        throw new InputException("kind", kind, "kind: " + (kind == null ? "missing" : "\"" + kind + "\"")
                + "; expected cluster or signals");
    }
}
