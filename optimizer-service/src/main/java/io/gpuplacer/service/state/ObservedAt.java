package io.gpuplacer.service.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.model.interchange.InputException;

import java.time.Duration;
import java.time.Instant;

/** The instant a cluster snapshot describes (interchange v1.1 section 8): its {@code observedAt}. */
final class ObservedAt {

    /** A snapshot may describe an instant at most this far ahead of the service's clock. */
    static final Duration MAX_AHEAD = Duration.ofMinutes(5);
    static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

    private ObservedAt() {
    }

    /**
     * The instant a snapshot describes: its {@code observedAt}, default when it is received; at most
     * {@link #MAX_AHEAD} ahead of the clock (whether it lies before the newest recorded is the ledger's check).
     */
    static Instant of(JsonNode cluster, Instant received) throws InputException {
        JsonNode given = cluster.get("observedAt");
        if (given == null || given.isNull()) {
            return received;
        }
        Instant at;
        try {
            at = Instant.parse(given.asText());
        } catch (java.time.format.DateTimeParseException e) {
            throw new InputException("observedAt", given.toString(), "cluster: observedAt: " + given
                    + " is not an ISO-8601 UTC instant like 2026-12-01T10:00:00Z");
        }
        if (at.isAfter(received.plus(MAX_AHEAD))) {
            throw new InputException("observedAt", given.toString(), "cluster: observedAt: " + given
                    + " lies more than 5 minutes ahead of the service's clock (" + received + ")");
        }
        if (at.isBefore(EARLIEST)) {
            throw new InputException("observedAt", given.toString(), "cluster: observedAt: " + given
                    + " lies before " + EARLIEST + " (the ledger's instants are stored as DATETIME)");
        }
        return at;
    }

    /** A stored snapshot's observedAt (valid when it was stored), else when it was stored. */
    static Instant stored(JsonNode cluster, Instant storedAt) {
        try {
            return cluster.hasNonNull("observedAt") ? Instant.parse(cluster.get("observedAt").asText()) : storedAt;
        } catch (java.time.format.DateTimeParseException e) {
            return storedAt;
        }
    }
}
