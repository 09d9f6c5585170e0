package io.gpuplacer.service.persistence;

import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Optional;

/**
 * The cluster snapshots and signals documents, every one kept as a version (one insert: nothing half-written);
 * the newest of each kind is the one in force.
 */
@Singleton
public class StateStore {

    private final StateVersionRepository versions;

    public StateStore(StateVersionRepository versions) {
        this.versions = versions;
    }

    /** Stores a new document; returns its version. */
    public StateVersionRecord store(String kind, String body, String author, Instant at, Long restoredFrom) {
        return versions.save(new StateVersionRecord(null, kind, body, author, at, restoredFrom));
    }

    public Optional<StateVersionRecord> inForce(String kind) {
        return versions.findNewest(kind);
    }

    /** The newest version id of any kind (0 when none): a change anywhere makes it grow. */
    public long newestId() {
        return versions.findNewestId();
    }
}
