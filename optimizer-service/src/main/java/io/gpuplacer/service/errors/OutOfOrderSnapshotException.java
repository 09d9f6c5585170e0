package io.gpuplacer.service.errors;

import java.time.Instant;

/** A cluster snapshot that describes an instant before the newest one the ledger has: answered 409. */
public final class OutOfOrderSnapshotException extends RuntimeException {

    private final Instant observedAt;
    private final Instant newest;

    public OutOfOrderSnapshotException(Instant observedAt, Instant newest) {
        super("observedAt " + observedAt + " is before the newest snapshot recorded (" + newest + "): the ledger "
                + "takes snapshots in the order of the instants they describe");
        this.observedAt = observedAt;
        this.newest = newest;
    }

    public Instant observedAt() {
        return observedAt;
    }

    public Instant newest() {
        return newest;
    }
}
