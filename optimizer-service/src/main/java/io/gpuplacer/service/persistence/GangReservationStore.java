package io.gpuplacer.service.persistence;

import java.time.Instant;
import java.util.List;

/**
 * Gangs' reserved places, where every replica sees them (V14 gang_reservation, gang_place): a reservation is made
 * once (the first replica to insert it wins; the others read the winner's), a place is claimed by one member (a
 * compare-and-set), and a reservation past its expiry is as good as gone.
 */
public interface GangReservationStore {

    /** One place: the node, the milli-GPU share it holds there, the member that claimed it and whether it is bound. */
    record Place(String node, long milli, String member, boolean bound) {
    }

    /** A gang's reservation as stored. */
    record Stored(String gang, Instant expires, List<Place> places) {
    }

    /** The gang's live reservation, or null. */
    Stored find(String gang, Instant now);

    /** Stores a reservation unless a live one exists; returns the one in force (this one, or the one first). */
    Stored insert(String gang, List<Place> places, Instant expires, Instant now);

    void delete(String gang);

    /** Claims the place for the member when no member holds it; whether it did. */
    boolean claim(String gang, int index, String member);

    /** The member's places are bound; a reservation whose places all are ends. */
    void bound(String member);

    /** Every live reservation. */
    List<Stored> all(Instant now);
}
